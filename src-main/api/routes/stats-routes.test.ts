import { ORPCError } from '@orpc/server';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WarRoom } from '../../app';
import { branchWorkflow, chainWorkflow } from '../../engine/testing/workflow-builder';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import { apiClientOf, createAppWithFakeModel } from '../../testing/test-app';

describe('stats API', () => {
  let dir: string;
  let server: FakeAnthropicServer;
  let app: WarRoom;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-stats-api-'));
    // The first request is rate limited, then every call spends a million input tokens of Sonnet ($3).
    server = await startFakeAnthropicServer((_request, index) =>
      index === 0
        ? { status: 429, retryAfterSeconds: 0.01 }
        : { text: 'done', inputTokens: 1_000_000, outputTokens: 0 },
    );
    app = createAppWithFakeModel(path.join(dir, 'profile'), server.url);
  });
  afterEach(async () => {
    app.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('aggregates runs made through the engine: spend, tokens, the retried 429, by workflow', async () => {
    const client = apiClientOf(app);
    const workflow = app.workflows.save(chainWorkflow([['agent', 'agent', { prompt: 'Do {{in}}' }]], 'priced'));
    const runIds: string[] = [];
    for (const task of ['one', 'two']) {
      const run = await client.runs.start({ workflowId: workflow.id, projectDir: dir, inputs: { task } });
      expect((await app.runs.wait(run.id)).status).toBe('completed');
      runIds.push(run.id);
    }
    const now = Date.now();
    const stats = await client.stats.dashboard({
      from: new Date(now - 86_400_000).toISOString(),
      to: new Date(now + 60_000).toISOString(),
      bucket: 'hour',
    });
    expect(stats.totals).toEqual({ runs: 2, costUsd: 6, inputTokens: 2_000_000, outputTokens: 0 });
    expect(stats.spendByWorkflow).toEqual([{ workflowId: 'priced', workflowName: 'priced', costUsd: 6, runs: 2 }]);
    expect(stats.tokensByModel).toEqual([
      expect.objectContaining({ model: 'claude-sonnet-4-6', calls: 2, costUsd: 6 }),
    ]);
    expect(stats.modelErrorTotals).toMatchObject({ calls: 2, retries: 1, rateLimited: 1, overloaded: 0 });
    expect(stats.spend.reduce((total, point) => total + point.costUsd, 0)).toBe(6);
    expect(stats.runsByStatus.reduce((total, point) => total + (point.counts.completed ?? 0), 0)).toBe(2);
    // The retry is in the run's own events too, where the run view reads it.
    const retries = runIds.flatMap((runId) =>
      app.runs.eventsSoFar(runId).filter((event) => event.type === 'llm.retry'),
    );
    expect(retries).toEqual([
      expect.objectContaining({ nodeId: 'agent', data: expect.objectContaining({ status: 429, attempt: 2 }) }),
    ]);
  });

  it("counts a model condition's spend and retry, and not again for a replay answered from the journal", async () => {
    server.setScript((_request, index) =>
      index === 0
        ? { status: 529, retryAfterSeconds: 0.01 }
        : { text: '{"decision": true, "reason": "ready"}', inputTokens: 1_000_000, outputTokens: 0 },
    );
    const client = apiClientOf(app);
    const workflow = branchWorkflow(
      ['ready', 'condition', { question: 'Is this ready?' }],
      [['true', 'result']],
      'router',
    );
    const run = await client.runs.start({ workflow, projectDir: dir, inputs: { task: 'ship it' } });
    expect((await app.runs.wait(run.id)).status).toBe('completed');
    const replay = await client.runs.replay({ runId: run.id });
    expect((await app.runs.wait(replay.id)).status).toBe('completed');
    expect(server.requests).toHaveLength(2);

    const now = Date.now();
    const stats = await client.stats.dashboard({
      from: new Date(now - 3_600_000).toISOString(),
      to: new Date(now + 60_000).toISOString(),
    });
    expect(stats.totals).toEqual({ runs: 2, costUsd: 3, inputTokens: 1_000_000, outputTokens: 0 });
    expect(stats.modelErrorTotals).toMatchObject({ calls: 1, retries: 1, overloaded: 1 });
    const reused = app.runs.eventsSoFar(replay.id).find((event) => event.type === 'llm.usage');
    expect(reused).toMatchObject({ nodeId: 'ready', data: { reused: true, costUsd: 3 } });
  });

  it('refuses a range that ends before it starts, or hourly buckets over months, saying which', async () => {
    const client = apiClientOf(app);
    const backwards = client.stats.dashboard({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' });
    await expect(backwards).rejects.toBeInstanceOf(ORPCError);
    await expect(backwards).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const error = await client.stats
      .dashboard({ from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z', bucket: 'hour' })
      .catch((caught: unknown) => caught);
    expect(JSON.stringify((error as ORPCError<string, unknown>).data)).toContain(
      'hourly buckets are for ranges of up to 31 days',
    );
  });
});
