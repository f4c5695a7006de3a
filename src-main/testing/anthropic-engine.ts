import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { RunEngine } from '../engine/engine';
import { loadRolePresets, shippedResourcesDir } from '../engine/roles';
import { AnthropicProvider, type AnthropicProviderOptions } from '../llm/anthropic-provider';
import {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
  type FakeScript,
} from '../llm/testing/fake-anthropic-server';
import { openDatabase } from '../store/database';
import { SqliteRunStore } from '../store/run-repository';
import { makeTempProfile } from './temp-profile';

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

/** Test support: the fake Messages API and a throwaway folder whose SQLite file the engines share. */
export interface AnthropicWorkspace {
  server: FakeAnthropicServer;
  /** The throwaway folder: the database is in it, and it may serve as a project folder. */
  dir: string;
  databasePath: string;
  /** An empty `project/` folder inside `dir`. */
  projectDir: string;
  /** An engine (createAnthropicEngine) on a new connection to the database, as a restarted app opens it. */
  openEngine(provider?: Omit<AnthropicProviderOptions, 'apiKey' | 'baseUrl'>): {
    engine: RunEngine;
    store: SqliteRunStore;
  };
  /** A further connection to the database (to read what another process writes), closed by close(). */
  openDatabase(): Database.Database;
  /** Lets every engine's live runs settle, closes the databases and the fake, removes the folder. */
  close(): Promise<void>;
}

/** Starts the fake Messages API (answering with `script`) beside a fresh folder; `close()` in afterEach. */
export async function openAnthropicWorkspace(prefix: string, script?: FakeScript): Promise<AnthropicWorkspace> {
  const server = await startFakeAnthropicServer(script);
  const dir = makeTempProfile(prefix);
  const databasePath = path.join(dir, 'warroom.db');
  const projectDir = path.join(dir, 'project');
  fs.mkdirSync(projectDir);
  const engines: Array<{ engine: RunEngine; store: SqliteRunStore; db: Database.Database }> = [];
  const readers: Database.Database[] = [];
  return {
    server,
    dir,
    databasePath,
    projectDir,
    openEngine(provider = {}) {
      const { db } = openDatabase(databasePath);
      const wired = createAnthropicEngine(db, server.url, provider);
      engines.push({ engine: wired.engine, store: wired.store, db });
      return wired;
    },
    openDatabase() {
      const { db } = openDatabase(databasePath);
      readers.push(db);
      return db;
    },
    async close() {
      for (const { engine, store, db } of engines.splice(0)) {
        await engine.shutdown();
        store.close();
        db.close();
      }
      for (const db of readers.splice(0)) db.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
