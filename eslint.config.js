import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/**
 * The layer rules of the README's Architecture section ("Layer rules"), which mirror the layer table of
 * the design guide, enforced as errors. Each entry says which folder it guards and what that folder may
 * not import; e2e/static/layer-rules.test.ts proves each rule still bites.
 */
const NODE_BUILTINS = [
  ...builtinModules.filter((name) => !name.startsWith('_')),
  ...builtinModules.map((name) => `node:${name}`),
];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const nodeBuiltinPattern = `^(node:.*|${builtinModules
  .filter((name) => !name.startsWith('_'))
  .map(escape)
  .join('|')})(/.*)?$`;

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
/** A pattern refusing imports of these top-level layers (`main` is src-main), by relative path or alias. */
const noLayers = (layers, message) => ({ regex: `(^|/)src-(${layers.join('|')})(/|$)`, message });

const NO_ELECTRON = { regex: '^electron($|/)', message: "Only src-main/host/electron may import 'electron'." };
const NO_UI_LAYERS = noLayers(['renderer', 'preload'], 'The main process may not import the renderer or preload.');
const NO_HOST = {
  regex: '(^|/)host(/|$)',
  message: 'Hosts are entry points: nothing outside src-main/host imports them.',
};

// ESLint keeps only the last `no-restricted-imports` setting that matches a file, so the src-main
// entries below cover disjoint sets of files, each listing everything its folder may not import.
export const LAYER_RULES = [
  {
    name: 'layers/src-shared',
    files: ['src-shared/**/*.{ts,tsx}'],
    ignores: ['src-shared/**/*.test.ts'],
    rules: restrict([
      {
        regex: '^(?!zod($|/)|@orpc/contract$|\\.{1,2}/|@shared/)',
        message: 'src-shared is pure TypeScript: it may import only zod-like schema libraries and itself.',
      },
      noLayers(['main', 'renderer', 'preload'], 'src-shared may not import another layer.'),
    ]),
  },
  {
    // Unit tests beside the shared code may use the test libraries, and still no other layer.
    name: 'layers/src-shared tests',
    files: ['src-shared/**/*.test.ts'],
    rules: restrict([noLayers(['main', 'renderer', 'preload'], 'src-shared tests may not import another layer.')]),
  },
  {
    name: 'layers/src-renderer',
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: restrict([
      {
        regex: nodeBuiltinPattern,
        message: 'The renderer may not use Node built-ins; ask the main process through the API.',
      },
      {
        regex: '^electron($|/)',
        message: 'The renderer may not import electron; it talks to the host only through the API client.',
      },
      noLayers(['main', 'preload'], 'The renderer may import only src-shared.'),
    ]),
  },
  {
    name: 'layers/src-preload',
    files: ['src-preload/**/*.ts'],
    rules: restrict([noLayers(['main', 'renderer'], 'The preload may import only src-shared and electron.')]),
  },
  {
    name: 'layers/src-main (services and adapters)',
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/engine/**', 'src-main/host/**'],
    rules: restrict([NO_ELECTRON, NO_UI_LAYERS, NO_HOST]),
  },
  {
    name: 'layers/src-main/engine',
    files: ['src-main/engine/**/*.ts'],
    ignores: ['src-main/engine/bench/**'],
    rules: restrict([
      NO_ELECTRON,
      NO_UI_LAYERS,
      {
        regex: '^(\\.\\./)+(llm|sandbox|memory|store|mcp|privacy)/(?!port$)',
        message: 'The engine depends on the ports of llm/sandbox/memory/store/mcp/privacy, never on their adapters.',
      },
      { regex: '(^|/)(host|app)(/|$)', message: 'The engine may not import a host or the composition root.' },
    ]),
  },
  {
    // The bench is an entry point like app.ts: it measures the engine wired to the real SQLite store and
    // settings, so it may import adapters; nothing imports the bench.
    name: 'layers/src-main/engine/bench',
    files: ['src-main/engine/bench/**/*.ts'],
    rules: restrict([NO_ELECTRON, NO_UI_LAYERS, NO_HOST]),
  },
  {
    name: 'layers/src-main/host (not electron)',
    files: ['src-main/host/**/*.ts'],
    ignores: ['src-main/host/electron/**'],
    rules: restrict([NO_ELECTRON, NO_UI_LAYERS]),
  },
  {
    name: 'layers/src-main/host/electron',
    files: ['src-main/host/electron/**/*.ts'],
    rules: restrict([NO_UI_LAYERS]),
  },
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/static/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['src-preload/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  ...LAYER_RULES,
);

export { NODE_BUILTINS };
