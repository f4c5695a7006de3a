import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

/** Benchmarks run only on demand (`npm run bench:builder`), never as part of `npm test`. */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '**/*.bench.ts',
  outputDir: '../../test-results/bench',
  timeout: 300_000,
});
