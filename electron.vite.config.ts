import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { RENDERER_CSP_DIRECTIVES } from './src-shared/security';

const sharedAlias = { '@shared': fileURLToPath(new URL('./src-shared', import.meta.url)) };

/** Writes the Content-Security-Policy into the built page (not in dev, where Vite injects inline scripts). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'warroom-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: RENDERER_CSP_DIRECTIVES.join('; ') },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  main: {
    resolve: { alias: sharedAlias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          // The desktop app's main process, and the `warroom` CLI (which also hosts browser mode).
          index: 'src-main/host/electron/main.ts',
          cli: 'src-main/host/cli/main.ts',
        },
        output: {
          banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
        },
      },
    },
  },
  preload: {
    resolve: { alias: sharedAlias },
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: 'src-preload/index.ts' },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    resolve: { alias: sharedAlias },
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: 'src-renderer/index.html' },
    },
  },
});
