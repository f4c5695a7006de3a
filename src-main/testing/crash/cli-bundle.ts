import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Test support: the `warroom` CLI from the current sources, bundled the way the release build bundles
 * it (one ES module, npm packages left external). A test that starts the CLI dozens of times needs this:
 * through tsx every start transpiles the whole main process again (seconds on a loaded machine), the
 * bundle starts in a fraction of that. It is written under node_modules/.cache so that the shipped
 * resources and sandbox images are found above it, as they are above out/main/ in a build.
 */
export async function bundleCli(): Promise<string> {
  const outDir = path.join(repoRoot, 'node_modules', '.cache', 'warroom-crash-test');
  fs.mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `cli-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(repoRoot, 'src-main/host/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    alias: { '@shared': path.join(repoRoot, 'src-shared') },
    logLevel: 'warning',
  });
  return outfile;
}
