import { ORPCError } from '@orpc/server';
import { openAppWithFakeModel, type AppWithFakeModel } from '../../testing/test-app';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import { buildWorkflow } from '../../engine/testing/workflow-builder';

describe('runs API', () => {
  let api: AppWithFakeModel;
  beforeEach(async () => {
    api = await openAppWithFakeModel('warroom-runs-api-', () => ({ text: 'approved plan' }));
  });
  afterEach(() => api.close());

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
    expect(await api.client.workflows.validate({ workflow })).toEqual({ ok: true, errors: [], warnings: [] });
    const broken = await api.client.workflows.validate({
      workflow: { ...workflow, nodes: [...workflow.nodes, { ...workflow.nodes[0], id: 'x', kind: 'nope' }] },
    });
    expect(broken.ok).toBe(false);
    expect(broken.errors.map((problem) => problem.message)).toContain('node "x": unknown node kind "nope"');
    expect((await api.client.workflows.validate({ workflow: { schemaVersion: 1 } })).errors[0]?.path).toBe('id');
  });

  it('starts a run, streams its events, approves, and lists it', async () => {
    const run = await api.client.runs.start({ workflow, projectDir: api.dir, inputs: { task: 'ship' } });
    expect(run.status).toBe('running');
    const seen: RunEvent[] = [];
    const stream = await api.client.runs.events({ runId: run.id, afterSeq: 0, follow: true });
    for await (const event of stream) {
      seen.push(event);
      if (event.type === 'approval.requested')
        await api.client.runs.approve({ runId: run.id, nodeId: 'gate', decision: { decision: 'approve' } });
    }
    expect(seen.at(-1)?.type).toBe('run.completed');
    const finished = await api.client.runs.get({ runId: run.id });
    expect(finished.outputs).toEqual({ result: 'approved plan' });
    expect(finished.usage.inputTokens).toBe(100);
    expect(api.server.requests[0]?.body.system).toEqual([
      expect.objectContaining({ text: expect.stringContaining('planner') }),
    ]);
    expect((await api.client.runs.list({ limit: 10 })).map((listed) => listed.id)).toEqual([run.id]);
  });

  it('refuses invalid workflows and unknown runs with typed errors', async () => {
    const invalid = api.client.runs.start({ workflow: { ...workflow, edges: [] }, projectDir: api.dir, inputs: {} });
    await expect(invalid).rejects.toMatchObject({ code: 'INVALID_WORKFLOW' });
    await expect(api.client.runs.get({ runId: 'missing' })).rejects.toBeInstanceOf(ORPCError);
    await expect(api.client.runs.get({ runId: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
