import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@shared': fileURLToPath(new URL('./src-shared', import.meta.url)) } },
  test: {
    include: ['src-*/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    environment: 'node',
    // Two cores here: keep workers bounded so Docker- and SQLite-heavy suites do not starve each other.
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
