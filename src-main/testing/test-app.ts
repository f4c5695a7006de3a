import { createWarRoom, type WarRoom } from '../app';

/**
 * Test support: a real app on a throwaway profile whose Claude calls go to a local fake server.
 * Memory synthesis after runs is off, so the fake server sees only the agents' calls, which tests count
 * (synthesis has its own tests in src-main/memory/engine-memory.test.ts).
 */
export function createAppWithFakeModel(profileDir: string, fakeModelUrl: string): WarRoom {
  const app = createWarRoom({
    profileDir,
    host: 'browser',
    version: '0.0.0-test',
    env: { ANTHROPIC_API_KEY: 'test-key' },
    memoryEmbedder: null,
  });
  app.settings.update({
    llm: { anthropicBaseUrl: fakeModelUrl, model: 'claude-sonnet-4-6' },
    memory: { synthesizeAfterRuns: false },
  });
  return app;
}
