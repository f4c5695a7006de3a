import { ORPCError } from '@orpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkflow } from '../../engine/testing/workflow-builder';
import { openAppWithFakeModel, type AppWithFakeModel } from '../../testing/test-app';

describe('runs.eventPage', () => {
  let api: AppWithFakeModel;
  beforeEach(async () => {
    api = await openAppWithFakeModel('warroom-event-page-', () => ({ text: 'done' }));
  });
  afterEach(() => api.close());

  it('reads the stored events in pages after a seq, the same events the stream gives', async () => {
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['a', 'agent', { prompt: 'A {{in}}' }],
        ['b', 'agent', { prompt: 'B {{in}}' }],
        ['result', 'output', { name: 'result' }],
      ],
      ['task.value -> a.in', 'a.out -> b.in', 'b.out -> result.value'],
    );
    const run = await api.client.runs.start({ workflow, projectDir: api.dir, inputs: { task: 'x' } });
    await api.app.runs.wait(run.id);
    const streamed = [];
    for await (const event of await api.client.runs.events({ runId: run.id, afterSeq: 0, follow: false })) {
      streamed.push(event);
    }
    expect(streamed.length).toBeGreaterThan(6);

    const paged = [];
    for (let afterSeq = 0; ;) {
      const page = await api.client.runs.eventPage({ runId: run.id, afterSeq, limit: 3 });
      expect(page.length).toBeLessThanOrEqual(3);
      paged.push(...page);
      if (page.length < 3) break;
      afterSeq = page.at(-1)?.seq ?? afterSeq;
    }
    expect(paged).toEqual(streamed);
  });

  it('refuses an unknown run and a limit out of range', async () => {
    await expect(api.client.runs.eventPage({ runId: 'nope', afterSeq: 0, limit: 10 })).rejects.toBeInstanceOf(
      ORPCError,
    );
    await expect(api.client.runs.eventPage({ runId: 'nope', afterSeq: 0, limit: 50_000 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
