import { ORPCError } from '@orpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsOfPage } from '@shared/event-page';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { openAppWithFakeModel, type AppWithFakeModel } from '../../testing/test-app';

describe('runs.eventPage', () => {
  let api: AppWithFakeModel;
  beforeEach(async () => {
    api = await openAppWithFakeModel('warroom-event-page-', () => ({ text: 'done' }));
  });
  afterEach(() => api.close());

  it('reads the stored events in pages after a seq, the same events the stream gives', async () => {
    const workflow = chainWorkflow([
      ['a', 'agent', { prompt: 'A {{in}}' }],
      ['b', 'agent', { prompt: 'B {{in}}' }],
    ]);
    const run = await api.client.runs.start({ workflow, projectDir: api.dir, inputs: { task: 'x' } });
    await api.app.runs.wait(run.id);
    const streamed = [];
    for await (const event of await api.client.runs.events({ runId: run.id, afterSeq: 0, follow: false })) {
      streamed.push(event);
    }
    expect(streamed.length).toBeGreaterThan(6);

    const paged = [];
    for (let afterSeq = 0; ;) {
      const page = eventsOfPage(await api.client.runs.eventPage({ runId: run.id, afterSeq, limit: 3 }));
      expect(page.length).toBeLessThanOrEqual(3);
      paged.push(...page);
      if (page.length < 3) break;
      afterSeq = page.at(-1)?.seq ?? afterSeq;
    }
    expect(paged).toEqual(streamed);

    const batched = [];
    let batches = 0;
    for await (const batch of await api.client.runs.eventBatches({ runId: run.id, afterSeq: 0, follow: false })) {
      batches++;
      batched.push(...batch);
    }
    expect(batched).toEqual(streamed);
    // Stored events are read together, so they leave in fewer messages than events.
    expect(batches).toBeLessThan(streamed.length);
  });

  it('follows a live run in batches until it settles, every event once, in order', async () => {
    const workflow = chainWorkflow([['a', 'agent', { prompt: 'A {{in}}' }]]);
    const run = await api.client.runs.start({ workflow, projectDir: api.dir, inputs: { task: 'x' } });
    const followed = [];
    for await (const batch of await api.client.runs.eventBatches({ runId: run.id, afterSeq: 0, follow: true })) {
      followed.push(...batch);
    }
    const stored = eventsOfPage(await api.client.runs.eventPage({ runId: run.id, afterSeq: 0, limit: 5000 }));
    expect(followed).toEqual(stored);
    expect(followed.at(-1)?.type).toBe('run.completed');
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
