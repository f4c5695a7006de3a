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
const TYPES_OF_THE_PREVIOUS_VERSION = [
  'run.started',
  'run.resumed',
  'run.completed',
  'run.failed',
  'run.paused',
  'run.cancelled',
  'node.started',
  'node.completed',
  'node.failed',
  'node.skipped',
  'llm.delta',
  'llm.usage',
  'tool.call',
  'tool.result',
  'condition.decided',
  'approval.requested',
  'approval.decided',
  'budget.exceeded',
  'loop.guard',
  'loop.iteration',
  'memory.injected',
  'memory.synthesized',
  'memory.failed',
] as const;

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
    // Every type that version could write is in the fixture, and each is still a type of this one.
    const seen = [...new Set(events.map((event) => event.type))].sort();
    expect(seen).toEqual([...TYPES_OF_THE_PREVIOUS_VERSION].sort());
    expect(TYPES_OF_THE_PREVIOUS_VERSION.every((type) => RUN_EVENT_TYPES.includes(type))).toBe(true);
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
