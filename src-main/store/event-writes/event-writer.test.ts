import Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aRun } from '@shared/testing/run-fixture';
import type { NewRunEvent } from '@shared/run-events';
import { buildWorkflow } from '../../engine/testing/workflow-builder';
import { makeTempProfile } from '../../testing/temp-profile';
import { mountTmpfs } from '../../testing/tmpfs';
import { openDatabase } from '../database';
import { SqliteRunStore } from '../run-repository';
import { BackgroundEventWriter } from './event-writer';
import { startWriterThread } from './writer-thread';

const workflow = buildWorkflow([['task', 'input', { name: 'task' }]], []);

function createRun(store: SqliteRunStore, id: string): void {
  store.createRun({
    ...aRun({ id, workflowId: workflow.id, status: 'running', createdAt: 'x', updatedAt: 'x' }),
    workflow,
    fork: null,
  });
}

const deltas = (count: number, text = 'token'): NewRunEvent[] =>
  Array.from({ length: count }, () => ({ type: 'llm.delta', nodeId: 'agent', data: { text } }));

/** Rows as another connection (another process) sees them: only what has been committed. */
function committedEvents(file: string, runId: string): number {
  const reader = new Database(file, { readonly: true });
  try {
    return (reader.prepare('SELECT count(*) AS n FROM run_events WHERE run_id = ?').get(runId) as { n: number }).n;
  } finally {
    reader.close();
  }
}

describe('event writes on the writer thread', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    vi.restoreAllMocks();
  });

  function openStore(): { store: SqliteRunStore; file: string; db: Database.Database } {
    const file = path.join(makeTempProfile(), 'warroom.db');
    const { db } = openDatabase(file);
    const store = new SqliteRunStore(db);
    cleanups.push(() => {
      store.close();
      db.close();
    });
    return { store, file, db };
  }

  it('saves every batch in order; the store reads its own writes at once, other connections once flushed', () => {
    const { store, file } = openStore();
    createRun(store, 'r1');
    const key = hash('sha256', 'request', 'hex');
    for (let batch = 0; batch < 300; batch++) {
      const journal = batch === 0 ? [{ key, kind: 'llm', scope: 'a', request: { q: 1 }, value: 'answer' }] : [];
      store.appendEvents('r1', deltas(10, `b${batch}`), '2026-12-02T10:00:00.000Z', journal);
    }
    // The store's own reads wait for the run's writes: nothing appended is missing or out of order.
    const events = store.readEvents('r1', 0, 10_000);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 3000 }, (_, index) => index + 1));
    expect(events.at(-1)?.data).toEqual({ text: 'b299' });
    expect(store.readJournal('r1', key)).toEqual({ value: 'answer' });
    store.appendEvents('r1', deltas(5), '2026-12-02T10:00:01.000Z');
    store.flushEvents('r1');
    expect(committedEvents(file, 'r1')).toBe(3005);
  });

  it('a status change is written after the events before it', () => {
    const { store, file } = openStore();
    createRun(store, 'r1');
    store.appendEvents('r1', deltas(2000), '2026-12-02T10:00:00.000Z');
    store.updateRun('r1', { status: 'completed' }, '2026-12-02T10:00:01.000Z');
    // Read by another connection the moment the status is there: the events are there too.
    expect(committedEvents(file, 'r1')).toBe(2000);
  });

  it('a batch that cannot be written fails its run, saying why; nothing after it is written, other runs go on', () => {
    const { store, file } = openStore();
    createRun(store, 'good');
    // No such run: the events' foreign key refuses the batch on the thread.
    store.appendEvents('ghost', deltas(3), '2026-12-02T10:00:00.000Z');
    store.appendEvents('good', deltas(3), '2026-12-02T10:00:00.000Z');
    expect(() => store.flushEvents('ghost')).toThrow(/FOREIGN KEY constraint failed/);
    expect(() => store.appendEvents('ghost', deltas(1), '2026-12-02T10:00:01.000Z')).toThrow(/FOREIGN KEY/);
    store.flushEvents('good');
    expect(committedEvents(file, 'good')).toBe(3);
    expect(committedEvents(file, 'ghost')).toBe(0);
  });

  it('a full disk on the thread is reported as the storage error it is', () => {
    const disk = mountTmpfs(2 * 1024 * 1024);
    cleanups.push(() => disk.unmount());
    const file = path.join(disk.dir, 'warroom.db');
    const { db } = openDatabase(file);
    const store = new SqliteRunStore(db);
    cleanups.push(() => {
      store.close();
      db.close();
    });
    createRun(store, 'r1');
    disk.fillLeaving(16 * 1024);
    store.appendEvents('r1', deltas(2000, 'x'.repeat(200)), '2026-12-02T10:00:00.000Z');
    let failure: unknown;
    try {
      store.flushEvents('r1');
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ name: 'StorageError', problem: 'full' });
    expect(String((failure as Error).message)).toMatch(/^The disk holding .*warroom\.db is full/);
  });

  it('when the thread cannot start, the batches it was given are written here instead, none lost', () => {
    const file = path.join(makeTempProfile(), 'warroom.db');
    const { db } = openDatabase(file);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // A thread whose database cannot be opened: it reports so when it starts.
    const writer = new BackgroundEventWriter(db, 1000, (_path, timeout) =>
      startWriterThread(path.join(path.dirname(file), 'missing', 'nested', 'warroom.db'), timeout),
    );
    const store = new SqliteRunStore(db, { writeInBackground: false });
    createRun(store, 'r1');
    cleanups.push(() => {
      writer.close();
      db.close();
    });
    for (let number = 1; number <= 5; number++) {
      writer.write({ runId: 'r1', events: [number, 'at', 'llm.delta', 'agent', '{"text":"t"}'], journal: [] });
    }
    writer.settle();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/writer thread is unavailable/));
    expect(committedEvents(file, 'r1')).toBe(5);
    writer.write({ runId: 'r1', events: [6, 'at', 'llm.delta', 'agent', '{"text":"t"}'], journal: [] });
    expect(committedEvents(file, 'r1')).toBe(6);
  });

  it('a closed store refuses new events instead of dropping them', () => {
    const { store } = openStore();
    createRun(store, 'r1');
    store.appendEvents('r1', deltas(1), 'at');
    store.close();
    expect(() => store.appendEvents('r1', deltas(1), 'at')).toThrow(/closed/);
    expect(store.readEvents('r1', 0)).toHaveLength(1);
  });
});
