import { ORPCError, type RouterClient } from '@orpc/server';
import { apiClientOf, createAppWithFakeModel } from '../../testing/test-app';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import type { WarRoom } from '../../app';
import { buildWorkflow } from '../../engine/testing/workflow-builder';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import type { AppRouter } from '../router';

describe('runs API', () => {
  let dir: string;
  let server: FakeAnthropicServer;
  let app: WarRoom;
  let client: RouterClient<AppRouter>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-runs-api-'));
    server = await startFakeAnthropicServer(() => ({ text: 'approved plan' }));
    app = createAppWithFakeModel(path.join(dir, 'profile'), server.url);
    client = apiClientOf(app);
  });
  afterEach(async () => {
    app.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const workflow = buildWorkflow(
    [
      ['task', 'input', { name: 'task' }],
      ['plan', 'agent', { prompt: 'Plan {{in}}', role: 'planner' }],
      ['gate', 'approval', {}],
      ['result', 'output', { name: 'result' }],
    ],
    ['task.value -> plan.in', 'plan.out -> gate.in', 'gate.approved -> result.value'],
  );

  it('validates documents, naming every problem', async () => {
    expect(await client.workflows.validate({ workflow })).toEqual({ ok: true, errors: [], warnings: [] });
    const broken = await client.workflows.validate({
      workflow: { ...workflow, nodes: [...workflow.nodes, { ...workflow.nodes[0], id: 'x', kind: 'nope' }] },
    });
    expect(broken.ok).toBe(false);
    expect(broken.errors.map((problem) => problem.message)).toContain('node "x": unknown node kind "nope"');
    expect((await client.workflows.validate({ workflow: { schemaVersion: 1 } })).errors[0]?.path).toBe('id');
  });

  it('starts a run, streams its events, approves, and lists it', async () => {
    const run = await client.runs.start({ workflow, projectDir: dir, inputs: { task: 'ship' } });
    expect(run.status).toBe('running');
    const seen: RunEvent[] = [];
    const stream = await client.runs.events({ runId: run.id, afterSeq: 0, follow: true });
    for await (const event of stream) {
      seen.push(event);
      if (event.type === 'approval.requested')
        await client.runs.approve({ runId: run.id, nodeId: 'gate', decision: { decision: 'approve' } });
    }
    expect(seen.at(-1)?.type).toBe('run.completed');
    const finished = await client.runs.get({ runId: run.id });
    expect(finished.outputs).toEqual({ result: 'approved plan' });
    expect(finished.usage.inputTokens).toBe(100);
    expect(server.requests[0]?.body.system).toEqual([
      expect.objectContaining({ text: expect.stringContaining('planner') }),
    ]);
    expect((await client.runs.list({ limit: 10 })).map((listed) => listed.id)).toEqual([run.id]);
  });

  it('refuses invalid workflows and unknown runs with typed errors', async () => {
    const invalid = client.runs.start({ workflow: { ...workflow, edges: [] }, projectDir: dir, inputs: {} });
    await expect(invalid).rejects.toMatchObject({ code: 'INVALID_WORKFLOW' });
    await expect(client.runs.get({ runId: 'missing' })).rejects.toBeInstanceOf(ORPCError);
    await expect(client.runs.get({ runId: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
