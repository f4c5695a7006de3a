import { ORPCError, type RouterClient } from '@orpc/server';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WarRoom } from '../../app';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import { apiClientOf, createAppWithFakeModel } from '../../testing/test-app';
import type { AppRouter } from '../router';

/** runs.start with breakpoints and runs.continue through the API: payloads parsed, errors typed. */
describe('runs API: breakpoints', () => {
  let dir: string;
  let server: FakeAnthropicServer;
  let app: WarRoom;
  let client: RouterClient<AppRouter>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-continue-api-'));
    server = await startFakeAnthropicServer(() => ({ text: 'planned' }));
    app = createAppWithFakeModel(path.join(dir, 'profile'), server.url);
    client = apiClientOf(app);
  });
  afterEach(async () => {
    app.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const workflow = chainWorkflow([['plan', 'agent', { prompt: 'Plan {{in}}' }]]);
  const codeOf = (error: unknown) => (error instanceof ORPCError ? error.code : String(error));

  it('pauses at a breakpoint given to runs.start and continues with an edit through runs.continue', async () => {
    const run = await client.runs.start({
      workflow,
      projectDir: dir,
      inputs: { task: 'x' },
      breakpoints: [{ kind: 'node', nodeId: 'plan' }],
    });
    const stream = await client.runs.events({ runId: run.id, afterSeq: 0, follow: true });
    for await (const event of stream) {
      if (event.type !== 'breakpoint.hit') continue;
      expect(event.data.pending).toEqual({ in: 'x' });
      expect((await client.runs.get({ runId: run.id })).status).toBe('paused');
      await client.runs.continue({ runId: run.id, action: 'continue', input: { in: 'y' } });
    }
    expect(await client.runs.get({ runId: run.id })).toMatchObject({ status: 'completed' });
    const first = server.requests[0]?.body.messages[0]?.content as Array<{ text: string }>;
    expect(first[0]?.text).toBe('Plan y');
  });

  it('refuses a malformed breakpoint or action, and continue on a run that is not paused', async () => {
    const bad = await client.runs
      .start({ workflow, projectDir: dir, breakpoints: [{ kind: 'loop', nodeId: 'plan' }] } as never)
      .catch((error: unknown) => error);
    expect(codeOf(bad)).toBe('BAD_REQUEST');
    const unknownNode = await client.runs
      .start({ workflow, projectDir: dir, breakpoints: [{ kind: 'node', nodeId: 'ghost' }] })
      .catch((error: unknown) => error);
    expect(codeOf(unknownNode)).toBe('CONFLICT');
    expect((unknownNode as Error).message).toContain('"ghost"');

    const run = await client.runs.start({ workflow, projectDir: dir, inputs: { task: 'x' } });
    const badAction = await client.runs
      .continue({ runId: run.id, action: 'jump' } as never)
      .catch((error: unknown) => error);
    expect(codeOf(badAction)).toBe('BAD_REQUEST');
    await app.runs.wait(run.id);
    const notPaused = await client.runs
      .continue({ runId: run.id, action: 'continue' })
      .catch((error: unknown) => error);
    expect(codeOf(notPaused)).toBe('CONFLICT');
  });
});
