import { ORPCError } from '@orpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { openAppWithFakeModel, type AppWithFakeModel } from '../../testing/test-app';

/** runs.start with breakpoints and runs.continue through the API: payloads parsed, errors typed. */
describe('runs API: breakpoints', () => {
  let api: AppWithFakeModel;
  beforeEach(async () => {
    api = await openAppWithFakeModel('warroom-continue-api-', () => ({ text: 'planned' }));
  });
  afterEach(() => api.close());

  const workflow = chainWorkflow([['plan', 'agent', { prompt: 'Plan {{in}}' }]]);
  const codeOf = (error: unknown) => (error instanceof ORPCError ? error.code : String(error));

  it('pauses at a breakpoint given to runs.start and continues with an edit through runs.continue', async () => {
    const run = await api.client.runs.start({
      workflow,
      projectDir: api.dir,
      inputs: { task: 'x' },
      breakpoints: [{ kind: 'node', nodeId: 'plan' }],
    });
    const stream = await api.client.runs.events({ runId: run.id, afterSeq: 0, follow: true });
    for await (const event of stream) {
      if (event.type !== 'breakpoint.hit') continue;
      expect(event.data.pending).toEqual({ in: 'x' });
      expect((await api.client.runs.get({ runId: run.id })).status).toBe('paused');
      await api.client.runs.continue({ runId: run.id, action: 'continue', input: { in: 'y' } });
    }
    expect(await api.client.runs.get({ runId: run.id })).toMatchObject({ status: 'completed' });
    const first = api.server.requests[0]?.body.messages[0]?.content as Array<{ text: string }>;
    expect(first[0]?.text).toBe('Plan y');
  });

  it('refuses a malformed breakpoint or action, and continue on a run that is not paused', async () => {
    const bad = await api.client.runs
      .start({ workflow, projectDir: api.dir, breakpoints: [{ kind: 'loop', nodeId: 'plan' }] } as never)
      .catch((error: unknown) => error);
    expect(codeOf(bad)).toBe('BAD_REQUEST');
    const unknownNode = await api.client.runs
      .start({ workflow, projectDir: api.dir, breakpoints: [{ kind: 'node', nodeId: 'ghost' }] })
      .catch((error: unknown) => error);
    expect(codeOf(unknownNode)).toBe('CONFLICT');
    expect((unknownNode as Error).message).toContain('"ghost"');

    const run = await api.client.runs.start({ workflow, projectDir: api.dir, inputs: { task: 'x' } });
    const badAction = await api.client.runs
      .continue({ runId: run.id, action: 'jump' } as never)
      .catch((error: unknown) => error);
    expect(codeOf(badAction)).toBe('BAD_REQUEST');
    await api.app.runs.wait(run.id);
    const notPaused = await api.client.runs
      .continue({ runId: run.id, action: 'continue' })
      .catch((error: unknown) => error);
    expect(codeOf(notPaused)).toBe('CONFLICT');
  });
});
