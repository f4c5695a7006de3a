import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '@shared/errors';
import { createWarRoom, type WarRoom } from '../app';
import { chainWorkflow } from '../engine/testing/workflow-builder';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../llm/testing/fake-anthropic-server';
import { DatabaseOpenError } from '../store/database';
import { SettingsRepository } from '../store/settings-repository';
import { StorageError } from '../store/storage-error';
import { holdDatabaseLock } from '../testing/database-lock';
import { makeTempProfile } from '../testing/temp-profile';
import { apiClientOf, createAppWithFakeModel } from '../testing/test-app';
import { mountTmpfs, type MountedTmpfs } from '../testing/tmpfs';

/** A full disk, a read-only profile and a locked database, met through the API: typed errors, nothing half-written. */
const MIB = 1024 * 1024;

async function apiErrorOf(call: Promise<unknown>): Promise<{ code: string; message: string; data: unknown }> {
  try {
    await call;
  } catch (error) {
    return error as { code: string; message: string; data: unknown };
  }
  throw new Error('the call succeeded');
}

function integrityOf(file: string): unknown {
  const db = new Database(file);
  try {
    return db.pragma('integrity_check');
  } finally {
    db.close();
  }
}

describe('storage failures through the API', () => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a full disk: a clear STORAGE_ERROR, no half-written workflow file or row, a run failed with the reason', async () => {
    const disk: MountedTmpfs = mountTmpfs(4 * MIB);
    cleanups.push(() => disk.unmount());
    const server: FakeAnthropicServer = await startFakeAnthropicServer(() => ({ text: 'x'.repeat(600_000) }));
    cleanups.push(() => server.close());
    const profileDir = path.join(disk.dir, 'profile');
    const app: WarRoom = createAppWithFakeModel(profileDir, server.url);
    cleanups.push(() => app.close());
    const client = apiClientOf(app);
    const workflow = chainWorkflow([['shout', 'transform', { template: '{{in}}!' }]], 'shout');
    await client.workflows.save({ workflow });
    const workflowFile = path.join(profileDir, 'workflows', 'shout.json');
    const savedFile = fs.readFileSync(workflowFile, 'utf8');

    disk.fillLeaving(64 * 1024);
    const bigger = chainWorkflow([['shout', 'transform', { template: `{{in}}${'!'.repeat(90_000)}` }]], 'shout');
    const saveError = await apiErrorOf(client.workflows.save({ workflow: bigger }));
    expect(saveError.code).toBe(ErrorCode.StorageError);
    expect(saveError.data).toMatchObject({ problem: 'full' });
    expect(saveError.message).toMatch(/^The disk holding \/.* is full \(/);
    expect(fs.readFileSync(workflowFile, 'utf8')).toBe(savedFile);
    expect(fs.readdirSync(path.dirname(workflowFile))).toEqual(['shout.json']);
    expect((await client.workflows.get({ id: 'shout' })).nodes[1]?.config).toEqual({ template: '{{in}}!' });

    // The model's long answer streams into events until the disk is full.
    const agentFlow = chainWorkflow([['write', 'agent', { prompt: 'Write {{in}}' }]], 'writer');
    // The run is created (a small row), then its events no longer fit: it fails, saying why.
    const run = await client.runs.start({ workflow: agentFlow, projectDir: profileDir, inputs: { task: 'a' } });
    const finished = await app.runs.wait(run.id);
    expect(finished.status).toBe('failed');
    expect(finished.error).toMatch(/^War Room could not save the run: The disk holding \/.*warroom\.db is full/);
    expect(integrityOf(path.join(profileDir, 'warroom.db'))).toEqual([{ integrity_check: 'ok' }]);
  });

  it('a read-only profile: the app refuses to open it, naming the database and saying it is read-only', () => {
    const disk = mountTmpfs(4 * MIB);
    cleanups.push(() => disk.unmount());
    const profileDir = path.join(disk.dir, 'profile');
    createWarRoom({ profileDir, host: 'browser', version: 'test', memoryEmbedder: null }).close();
    disk.remountReadOnly();
    let error: unknown;
    try {
      createWarRoom({ profileDir, host: 'browser', version: 'test', memoryEmbedder: null }).close();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as DatabaseOpenError).problem).toBe('read-only');
    expect((error as Error).message).toMatch(
      new RegExp(`^War Room cannot write to ${path.join(profileDir, 'warroom.db')}: it is read-only`),
    );
  });

  it('a database opened read-only (SQLite flag) turns a settings change into a read-only StorageError', () => {
    // Simulated with SQLite's read-only open flag: an app-level open of a read-only mount is the test above.
    const file = path.join(makeTempProfile(), 'warroom.db');
    createWarRoom({ profileDir: path.dirname(file), host: 'browser', version: 'test', memoryEmbedder: null }).close();
    const db = new Database(file, { readonly: true });
    cleanups.push(() => {
      db.close();
    });
    const settings = new SettingsRepository(db, () => new Date());
    expect(() => settings.update({ engine: { maxConcurrency: 2 } })).toThrow(StorageError);
    expect(() => settings.update({ engine: { maxConcurrency: 2 } })).toThrow(/War Room cannot write to .*warroom\.db/);
  });

  it('a database locked by another process: after the busy timeout a STORAGE_ERROR "locked", and no run created', async () => {
    const profileDir = makeTempProfile();
    const server = await startFakeAnthropicServer();
    cleanups.push(() => server.close());
    const app = createAppWithFakeModel(profileDir, server.url);
    cleanups.push(() => {
      app.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    });
    const client = apiClientOf(app);
    const holder = await holdDatabaseLock(path.join(profileDir, 'warroom.db'));
    cleanups.push(() => void holder.kill('SIGKILL'));

    const workflow = chainWorkflow([['shout', 'transform', { template: '{{in}}!' }]]);
    const startError = await apiErrorOf(client.runs.start({ workflow, projectDir: profileDir, inputs: { task: 'a' } }));
    expect(startError.code).toBe(ErrorCode.StorageError);
    expect(startError.data).toMatchObject({ problem: 'locked', path: path.join(profileDir, 'warroom.db') });
    expect(startError.message).toMatch(/locked by another process .*another War Room, or a tool such as sqlite3/);

    await new Promise<void>((resolve) => {
      holder.once('exit', () => resolve());
      holder.kill('SIGKILL');
    });
    expect(await client.runs.list({})).toEqual([]);
    expect(integrityOf(path.join(profileDir, 'warroom.db'))).toEqual([{ integrity_check: 'ok' }]);
  }, 30_000);
});
