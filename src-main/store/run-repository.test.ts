import Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsOfType } from '@shared/run-events';
import { buildWorkflow } from '../engine/testing/workflow-builder';
import { makeTempProfile } from '../testing/temp-profile';
import { openDatabase } from './database';
import { MIGRATIONS } from './migrations';
import { aRun } from '@shared/testing/run-fixture';
import type { RunRecord } from './port';
import { SqliteRunStore } from './run-repository';

const workflow = buildWorkflow(
  [
    ['task', 'input', { name: 'task' }],
    ['result', 'output', { name: 'result' }],
  ],
  ['task.value -> result.value'],
);

const record = (id: string): RunRecord => ({
  ...aRun({
    id,
    workflowId: workflow.id,
    workflowName: workflow.name,
    status: 'running',
    inputs: { task: 'tea' },
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
  }),
  workflow,
  fork: null,
  ownerPid: null,
});

/** A fresh profile's store holding one run. */
function profileWithRun(id: string) {
  const { db } = openDatabase(path.join(makeTempProfile(), 'warroom.db'));
  const store = new SqliteRunStore(db);
  store.createRun(record(id));
  return { db, store };
}

describe('SqliteRunStore', () => {
  it('moves the workflow of runs stored before its own table into that table, losing nothing', () => {
    const file = path.join(makeTempProfile(), 'warroom.db');
    // A profile as the build before run_workflows left it: the workflow inside the run's document.
    const old = new Database(file);
    const runsVersion = MIGRATIONS.findIndex((step) => step.includes('CREATE TABLE run_events')) + 1;
    for (const step of MIGRATIONS.slice(0, runsVersion)) old.exec(step);
    old.pragma(`user_version = ${runsVersion}`);
    old
      .prepare(
        `INSERT INTO runs (id, workflow_id, status, mode, source_run_id, document, created_at, updated_at)
         VALUES ('old-run', ?, 'completed', 'normal', NULL, ?, ?, ?)`,
      )
      .run(workflow.id, JSON.stringify({ ...record('old-run'), status: 'completed' }), 'x', 'x');
    old.close();

    const { db } = openDatabase(file);
    const store = new SqliteRunStore(db);
    expect(store.getRun('old-run')).toEqual({ ...record('old-run'), status: 'completed' });
    const document = db.prepare("SELECT document FROM runs WHERE id = 'old-run'").get() as { document: string };
    expect(JSON.parse(document.document)).not.toHaveProperty('workflow');
    db.close();
  });

  it('moves journal entries keyed in hex text into the appended, blob-keyed journal, in order and readable', () => {
    const file = path.join(makeTempProfile(), 'warroom.db');
    // A profile as the build before the rowid journal left it: keys as hex text, one entry from before
    // the journal kept its order (NULL ordinal), one odd key that is not hex at all.
    const old = new Database(file);
    const version = MIGRATIONS.findIndex((step) => step.includes('CREATE TABLE run_journal_entries'));
    for (const step of MIGRATIONS.slice(0, version)) old.exec(step);
    old.pragma(`user_version = ${version}`);
    old
      .prepare(
        `INSERT INTO runs (id, workflow_id, status, mode, source_run_id, document, created_at, updated_at)
         VALUES ('old-run', ?, 'completed', 'normal', NULL, ?, 'x', 'x')`,
      )
      .run(workflow.id, JSON.stringify({ ...record('old-run'), status: 'completed' }));
    old.prepare("INSERT INTO run_workflows (run_id, workflow) VALUES ('old-run', ?)").run(JSON.stringify(workflow));
    const insert = old.prepare(
      `INSERT INTO run_journal (run_id, key, kind, value, at, scope, request, ordinal)
       VALUES ('old-run', ?, 'llm', ?, ?, ?, ?, ?)`,
    );
    const second = hash('sha256', 'second', 'hex');
    const first = hash('sha256', 'first', 'hex');
    insert.run(second, '"two"', '2026-11-21T10:00:02.000Z', 'b#1', '{"prompt":"two"}', 2);
    insert.run(first, '"one"', '2026-11-21T10:00:01.000Z', 'a#1', '{"prompt":"one"}', 1);
    insert.run('legacy-key', '"zero"', '2026-11-21T10:00:00.000Z', 'z#1', null, null);
    old.close();

    const { db } = openDatabase(file);
    const store = new SqliteRunStore(db);
    expect(store.readJournal('old-run', first)).toEqual({ value: 'one' });
    expect(store.readJournal('old-run', second)).toEqual({ value: 'two' });
    expect(store.listJournal('old-run').map((entry) => [entry.scope, entry.key, entry.request])).toEqual([
      ['z#1', Buffer.from('legacy-key').toString('hex'), null],
      ['a#1', first, { prompt: 'one' }],
      ['b#1', second, { prompt: 'two' }],
    ]);
    // The migrated run goes on journaling after its old entries.
    store.appendEvents('old-run', [], '2026-11-21T10:01:00.000Z', [
      { key: hash('sha256', 'third', 'hex'), kind: 'llm', scope: 'c#1', request: { prompt: 'three' }, value: 'three' },
    ]);
    expect(store.listJournal('old-run').map((entry) => entry.scope)).toEqual(['z#1', 'a#1', 'b#1', 'c#1']);
    db.prepare("DELETE FROM runs WHERE id = 'old-run'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_journal').get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a journal key that is not a SHA-256 in hex, writing nothing of the batch', () => {
    const { db, store } = profileWithRun('r1');
    const entry = { key: 'not-a-hash', kind: 'llm', scope: 'a#1', request: {}, value: 'x' };
    expect(() => store.appendEvents('r1', [{ type: 'run.cancelled', nodeId: null, data: {} }], 'x', [entry])).toThrow(
      /journal key is not a SHA-256 in hex: "not-a-hash"/,
    );
    expect(store.readEvents('r1', 0)).toEqual([]);
    expect(() => store.readJournal('r1', 'abc')).toThrow(/not a SHA-256/);
    db.close();
  });

  it('updates a run without touching its workflow, and deletes the workflow with the run', () => {
    const { db, store } = profileWithRun('r1');
    store.updateRun('r1', { status: 'completed', outputs: { result: 'tea' } }, '2026-11-21T10:01:00.000Z');
    expect(store.getRun('r1')).toEqual({
      ...record('r1'),
      status: 'completed',
      outputs: { result: 'tea' },
      updatedAt: '2026-11-21T10:01:00.000Z',
    });
    expect(store.listRuns(10).map((run) => store.getRun(run.id)?.workflow)).toEqual([workflow]);
    db.prepare("DELETE FROM runs WHERE id = 'r1'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_workflows').get()).toEqual({ n: 0 });
    db.close();
  });

  it('appends large batches in order, seq continuing across batches', () => {
    const { db, store } = profileWithRun('r1');
    const batch = (count: number, from: number) =>
      Array.from({ length: count }, (_, index) => ({
        type: 'llm.delta' as const,
        nodeId: `n${from + index}`,
        data: { text: `token ${from + index}` },
      }));
    // 70 events: two full multi-row inserts and a remainder of six single rows.
    const first = store.appendEvents('r1', batch(70, 0), '2026-11-21T10:00:00.000Z');
    const second = store.appendEvents('r1', batch(3, 70), '2026-11-21T10:00:01.000Z');
    expect(first.map((event) => event.seq)).toEqual(Array.from({ length: 70 }, (_, index) => index + 1));
    expect(second.map((event) => event.seq)).toEqual([71, 72, 73]);
    const stored = store.readEvents('r1', 0, 1000);
    expect(eventsOfType(stored, 'llm.delta').map((event) => [event.seq, event.nodeId, event.data.text])).toEqual(
      Array.from({ length: 73 }, (_, index) => [index + 1, `n${index}`, `token ${index}`]),
    );
    db.close();
  });

  it('lists the journal of a run in the order journaled, across batches and reopenings, requests included', () => {
    const file = path.join(makeTempProfile(), 'warroom.db');
    const keyOf = (scope: string, prompt: string) => hash('sha256', `${scope}:${prompt}`, 'hex');
    const entry = (scope: string, prompt: string) => ({
      key: keyOf(scope, prompt),
      kind: 'llm',
      scope,
      request: { prompt },
      value: `answer to ${prompt}`,
    });
    const first = openDatabase(file);
    const store = new SqliteRunStore(first.db);
    store.createRun(record('r1'));
    store.appendEvents('r1', [], '2026-11-21T10:00:00.000Z', [entry('b#1', 'zebra'), entry('a#1', 'apple')]);
    store.close();
    first.db.close();
    const second = openDatabase(file);
    const reopened = new SqliteRunStore(second.db);
    // Same time as the first batch: the order comes from the ordinal, not the timestamp or the key.
    reopened.appendEvents('r1', [], '2026-11-21T10:00:00.000Z', [entry('a#1', 'again')]);
    expect(reopened.listJournal('r1')).toEqual([
      { key: keyOf('b#1', 'zebra'), kind: 'llm', scope: 'b#1', request: { prompt: 'zebra' }, ordinal: 1 },
      { key: keyOf('a#1', 'apple'), kind: 'llm', scope: 'a#1', request: { prompt: 'apple' }, ordinal: 2 },
      { key: keyOf('a#1', 'again'), kind: 'llm', scope: 'a#1', request: { prompt: 'again' }, ordinal: 3 },
    ]);
    expect(reopened.readJournal('r1', keyOf('a#1', 'again'))).toEqual({ value: 'answer to again' });
    expect(reopened.listJournal('nobody')).toEqual([]);
    reopened.close();
    second.db.close();
  });
});
