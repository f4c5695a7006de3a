import { ORPCError, type RouterClient } from '@orpc/server';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WarRoom } from '../../app';
import { buildWorkflow } from '../../engine/testing/workflow-builder';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import { apiClientOf, createAppWithFakeModel } from '../../testing/test-app';
import type { AppRouter } from '../router';

describe('runs.eventPage', () => {
  let dir: string;
  let server: FakeAnthropicServer;
  let app: WarRoom;
  let client: RouterClient<AppRouter>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-event-page-'));
    server = await startFakeAnthropicServer(() => ({ text: 'done' }));
    app = createAppWithFakeModel(path.join(dir, 'profile'), server.url);
    client = apiClientOf(app);
  });
  afterEach(async () => {
    app.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

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
    const run = await client.runs.start({ workflow, projectDir: dir, inputs: { task: 'x' } });
    await app.runs.wait(run.id);
    const streamed = [];
    for await (const event of await client.runs.events({ runId: run.id, afterSeq: 0, follow: false })) {
      streamed.push(event);
    }
    expect(streamed.length).toBeGreaterThan(6);

    const paged = [];
    for (let afterSeq = 0; ;) {
      const page = await client.runs.eventPage({ runId: run.id, afterSeq, limit: 3 });
      expect(page.length).toBeLessThanOrEqual(3);
      paged.push(...page);
      if (page.length < 3) break;
      afterSeq = page.at(-1)?.seq ?? afterSeq;
    }
    expect(paged).toEqual(streamed);
  });

  it('refuses an unknown run and a limit out of range', async () => {
    await expect(client.runs.eventPage({ runId: 'nope', afterSeq: 0, limit: 10 })).rejects.toBeInstanceOf(ORPCError);
    await expect(client.runs.eventPage({ runId: 'nope', afterSeq: 0, limit: 50_000 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
