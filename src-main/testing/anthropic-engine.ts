import path from 'node:path';
import type Database from 'better-sqlite3';
import { RunEngine } from '../engine/engine';
import { loadRolePresets, shippedResourcesDir } from '../engine/roles';
import { AnthropicProvider, type AnthropicProviderOptions } from '../llm/anthropic-provider';
import { SqliteRunStore } from '../store/run-repository';

/**
 * Test support: the engine as the app wires it for Claude — the real Anthropic adapter against `baseUrl`
 * (the fake Messages API), runs persisted to `db`, the shipped role presets loaded so teams can run.
 * `provider` tunes the adapter's retries and timeout for fault tests.
 */
export function createAnthropicEngine(
  db: Database.Database,
  baseUrl: string,
  provider: Omit<AnthropicProviderOptions, 'apiKey' | 'baseUrl'> = {},
): { engine: RunEngine; store: SqliteRunStore } {
  const llm = new AnthropicProvider({ ...provider, apiKey: 'test-key', baseUrl });
  const store = new SqliteRunStore(db);
  const engine = new RunEngine({
    store,
    llm: () => llm,
    defaultModel: () => 'claude-sonnet-4-6',
    maxConcurrency: () => 4,
    defaultBudget: () => ({}),
    roles: loadRolePresets([path.join(shippedResourcesDir(), 'roles')]),
  });
  return { engine, store };
}
