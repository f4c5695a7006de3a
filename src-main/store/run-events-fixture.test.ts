import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUN_EVENT_TYPES, eventsOfType } from '@shared/run-events';
import { makeTempProfile } from '../testing/temp-profile';
import { openDatabase } from './database';
import { SqliteRunStore } from './run-repository';

/**
 * `fixtures/events-before-typed-union.sqlite` was written by War Room before run events became a typed
 * union (commit 91209ca): runs with agents, tools, conditions, a loop, approvals, a budget pause and
 * resume, a cancel, a loop guard and memory injection, synthesis and failures — every event type of that
 * version. Today's reader must take every one of them as a known, typed event.
 */
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'events-before-typed-union.sqlite');

describe('events stored before the typed union', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = makeTempProfile('warroom-fixture-');
    const file = path.join(dir, 'warroom.db');
    fs.copyFileSync(FIXTURE, file);
    db = openDatabase(file).db;
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads every stored event as a known, typed event', () => {
    const store = new SqliteRunStore(db);
    const runs = store.listRuns(100);
    expect(runs.length).toBeGreaterThanOrEqual(6);
    const events = runs.flatMap((run) => store.readEvents(run.id, 0, 100_000));
    const unreadable = events.filter((event) => event.type === 'unknown');
    expect(unreadable).toEqual([]);
    const seen = new Set(events.map((event) => event.type));
    // Every type that version could write is in the fixture (sandbox.executed came with the union).
    expect(RUN_EVENT_TYPES.filter((type) => !seen.has(type))).toEqual(['sandbox.executed']);
    const [usage] = eventsOfType(events, 'llm.usage');
    expect(usage?.data.inputTokens).toBeGreaterThan(0);
    const decisions = eventsOfType(events, 'approval.decided').map((event) => event.data);
    expect(decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ decision: 'approve' }),
        expect.objectContaining({ decision: 'reject', reason: 'no' }),
      ]),
    );
  });
});
