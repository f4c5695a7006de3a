import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewRunEvent } from '@shared/run-events';
import type { RunStatus } from '@shared/runs';
import { aRun } from '@shared/testing/run-fixture';
import { buildWorkflow } from '../engine/testing/workflow-builder';
import { MemoryService } from '../memory/memory-service';
import { makeTempProfile } from '../testing/temp-profile';
import { openDatabase, type OpenedDatabase } from './database';
import { SqliteRunStore } from './run-repository';
import { bucketsOf, RunStatsRepository } from './run-stats-repository';

const workflow = buildWorkflow([['task', 'input', { name: 'task' }]], []);

let opened: OpenedDatabase;
let runs: SqliteRunStore;
let stats: RunStatsRepository;

beforeEach(() => {
  opened = openDatabase(path.join(makeTempProfile(), 'warroom.db'));
  runs = new SqliteRunStore(opened.db);
  stats = new RunStatsRepository(opened.db, () => runs.settleEvents());
});

afterEach(() => {
  runs.close();
  opened.db.close();
});

function seedRun(id: string, workflowId: string, workflowName: string, status: RunStatus, createdAt: string): void {
  runs.createRun({
    ...aRun({ id, workflowId, workflowName, status, createdAt, updatedAt: createdAt }),
    workflow: { ...workflow, id: workflowId, name: workflowName },
    fork: null,
    ownerPid: null,
  });
}

function usage(costUsd: number, inputTokens: number, outputTokens: number, model: string, reused = false): NewRunEvent {
  return {
    type: 'llm.usage',
    nodeId: 'agent',
    data: {
      scope: 'agent',
      turn: 1,
      inputTokens,
      outputTokens,
      cacheReadTokens: 10,
      cacheWriteTokens: 0,
      costUsd,
      model,
      ...(reused ? { reused: true as const } : {}),
    },
  };
}

const retry = (status: number | null): NewRunEvent => ({
  type: 'llm.retry',
  nodeId: 'agent',
  data: { scope: 'agent', attempt: 2, status, model: 'claude-sonnet-4-6' },
});

const sandboxRun = (durationMs: number): NewRunEvent => ({
  type: 'sandbox.executed',
  nodeId: 'code',
  data: {
    scope: 'code',
    language: 'python',
    exitCode: 0,
    termination: 'exited',
    durationMs,
    stdoutTail: '',
    stderrTail: '',
    truncated: { stdout: 0, stderr: 0 },
    artifacts: [],
  },
});

const RANGE = { from: '2026-11-20T00:00:00Z', to: '2026-11-22T00:00:00Z', bucket: 'day' as const };

function seedTwoDays(): void {
  seedRun('r1', 'wf-a', 'Alpha', 'completed', '2026-11-20T10:00:00.000Z');
  runs.appendEvents(
    'r1',
    [usage(0.5, 1000, 200, 'claude-sonnet-4-6'), usage(0.25, 500, 100, 'claude-haiku-4-5'), retry(429), retry(529)],
    '2026-11-20T10:01:00.000Z',
  );
  runs.appendEvents('r1', [sandboxRun(300), sandboxRun(100), sandboxRun(200)], '2026-11-20T10:02:00.000Z');
  seedRun('r2', 'wf-a', 'Alpha', 'failed', '2026-11-21T09:00:00.000Z');
  // The resumed run's answer from the journal repeats the usage of a call made once: not spent twice.
  runs.appendEvents(
    'r2',
    [usage(1, 2000, 400, 'claude-sonnet-4-6'), usage(1, 2000, 400, 'claude-sonnet-4-6', true), retry(null)],
    '2026-11-21T09:30:00.000Z',
  );
  seedRun('r3', 'wf-b', 'Beta', 'running', '2026-11-21T12:00:00.000Z');
  runs.appendEvents('r3', [usage(0.125, 100, 50, 'claude-haiku-4-5'), sandboxRun(500)], '2026-11-21T12:05:00.000Z');
  runs.appendEvents('r3', [sandboxRun(400)], '2026-11-21T23:59:59.999Z');
  // Outside the range on both sides.
  seedRun('r0', 'wf-b', 'Beta', 'completed', '2026-11-19T23:59:59.999Z');
  runs.appendEvents(
    'r0',
    [usage(7, 7, 7, 'claude-opus-4-1'), sandboxRun(9000), retry(429)],
    '2026-11-19T23:59:59.999Z',
  );
  seedRun('r4', 'wf-a', 'Alpha', 'completed', '2026-11-22T00:00:00.000Z');
  runs.appendEvents('r4', [usage(9, 9, 9, 'claude-opus-4-1')], '2026-11-22T00:00:00.000Z');
}

describe('RunStatsRepository', () => {
  it('aggregates spend, runs, tokens, retries and sandbox latency of a range, exactly', async () => {
    seedTwoDays();
    const memory = new MemoryService(opened.db, null);
    await memory.store.store({ namespace: 'project', kind: 'decision', text: 'Use SQLite for café orders.' });
    await memory.store.store({ namespace: 'project', kind: 'note', text: 'Tests run on two cores.' });

    const result = stats.dashboard(RANGE);

    expect(result.totals).toEqual({ runs: 3, costUsd: 1.875, inputTokens: 3600, outputTokens: 750 });
    expect(result.spend).toEqual([
      { bucket: '2026-11-20', costUsd: 0.75 },
      { bucket: '2026-11-21', costUsd: 1.125 },
    ]);
    expect(result.spendByWorkflow).toEqual([
      { workflowId: 'wf-a', workflowName: 'Alpha', costUsd: 1.75, runs: 2 },
      { workflowId: 'wf-b', workflowName: 'Beta', costUsd: 0.125, runs: 1 },
    ]);
    expect(result.runsByStatus).toEqual([
      { bucket: '2026-11-20', counts: { completed: 1 } },
      { bucket: '2026-11-21', counts: { failed: 1, running: 1 } },
    ]);
    expect(result.tokensByModel).toEqual([
      {
        model: 'claude-sonnet-4-6',
        calls: 2,
        inputTokens: 3000,
        outputTokens: 600,
        cacheReadTokens: 20,
        cacheWriteTokens: 0,
        costUsd: 1.5,
      },
      {
        model: 'claude-haiku-4-5',
        calls: 2,
        inputTokens: 600,
        outputTokens: 150,
        cacheReadTokens: 20,
        cacheWriteTokens: 0,
        costUsd: 0.375,
      },
    ]);
    expect(result.modelErrors).toEqual([
      { bucket: '2026-11-20', calls: 2, retries: 2, rateLimited: 1, overloaded: 1, otherErrors: 0 },
      { bucket: '2026-11-21', calls: 2, retries: 1, rateLimited: 0, overloaded: 0, otherErrors: 1 },
    ]);
    expect(result.modelErrorTotals).toEqual({
      calls: 4,
      retries: 3,
      rateLimited: 1,
      overloaded: 1,
      otherErrors: 1,
      errorRate: 3 / 7,
      retryRate: 0.75,
    });
    // Durations 100…500: the nearest-rank p50 is the 3rd, the p95 the 5th.
    expect(result.sandbox).toEqual({ executions: 5, p50Ms: 300, p95Ms: 500 });
    const memoryTotals = memory.store.stats().totals;
    expect(result.memory).toEqual({
      items: 2,
      chunks: memoryTotals.chunks,
      textBytes: Buffer.byteLength('Use SQLite for café orders.Tests run on two cores.'),
    });
    expect(memoryTotals.chunks).toBeGreaterThan(0);
  });

  it('shows quiet buckets as zeros and hourly buckets by their hour', () => {
    seedTwoDays();
    const hourly = stats.dashboard({ from: '2026-11-21T08:30:00Z', to: '2026-11-21T12:10:00Z', bucket: 'hour' });
    expect(hourly.spend).toEqual([
      { bucket: '2026-11-21T08', costUsd: 0 },
      { bucket: '2026-11-21T09', costUsd: 1 },
      { bucket: '2026-11-21T10', costUsd: 0 },
      { bucket: '2026-11-21T11', costUsd: 0 },
      { bucket: '2026-11-21T12', costUsd: 0.125 },
    ]);
    const empty = stats.dashboard({ from: '2026-10-01T00:00:00Z', to: '2026-10-03T00:00:00Z', bucket: 'day' });
    expect(empty.totals).toEqual({ runs: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 });
    expect(empty.spend.map((point) => point.bucket)).toEqual(['2026-10-01', '2026-10-02']);
    expect(empty.sandbox).toEqual({ executions: 0, p50Ms: null, p95Ms: null });
    expect(empty.modelErrorTotals.errorRate).toBe(0);
  });

  it('gives the Sentinel spend and error rates over any window', () => {
    seedTwoDays();
    expect(stats.spend('2026-11-21T00:00:00Z', '2026-11-22T00:00:00Z')).toBe(1.125);
    expect(stats.modelErrors('2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z')).toMatchObject({
      calls: 2,
      retries: 2,
      errorRate: 0.5,
    });
  });

  it('reads the figure-carrying events through their partial indexes, not by scanning the event log', () => {
    const plans = [
      "SELECT count(*) FROM run_events WHERE type = 'llm.usage' AND json_extract(data, '$.reused') IS NULL AND at >= ? AND at < ?",
      "SELECT count(*) FROM run_events WHERE type = 'llm.retry' AND at >= ? AND at < ?",
      "SELECT count(*) FROM run_events WHERE type = 'sandbox.executed' AND at >= ? AND at < ?",
    ].map((sql) =>
      (opened.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('a', 'b') as Array<{ detail: string }>)
        .map((row) => row.detail)
        .join(' | '),
    );
    expect(plans[0]).toMatch(/USING (COVERING )?INDEX run_events_usage_by_at/);
    expect(plans[1]).toMatch(/USING (COVERING )?INDEX run_events_retries_by_at/);
    expect(plans[2]).toMatch(/USING (COVERING )?INDEX run_events_sandbox_by_at/);
  });

  it('lists the buckets a range touches, from the bucket its start falls in', () => {
    expect(bucketsOf({ from: '2026-11-20T18:00:00.000Z', to: '2026-11-22T00:00:00.000Z', bucket: 'day' })).toEqual([
      '2026-11-20',
      '2026-11-21',
    ]);
    expect(bucketsOf({ from: '2026-11-20T22:59:00.000Z', to: '2026-11-21T00:30:00.000Z', bucket: 'hour' })).toEqual([
      '2026-11-20T22',
      '2026-11-20T23',
      '2026-11-21T00',
    ]);
  });
});
