import { ORPCError, type RouterClient } from '@orpc/server';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunExportDocumentSchema } from '@shared/run-export';
import type { WarRoom } from '../../app';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import { makeTempProfile } from '../../testing/temp-profile';
import { apiClientOf, createAppWithFakeModel } from '../../testing/test-app';
import type { AppRouter } from '../router';

const workflow = chainWorkflow([['writer', 'agent', { prompt: 'Write about {{in}}' }]]);

describe('runs.compare and runs.export', () => {
  let dir: string;
  let server: FakeAnthropicServer;
  let app: WarRoom;
  let client: RouterClient<AppRouter>;

  beforeEach(async () => {
    dir = makeTempProfile('warroom-run-report-api-');
    server = await startFakeAnthropicServer((request) => ({ text: `reply ${request.body.messages.length}` }));
    app = createAppWithFakeModel(path.join(dir, 'profile'), server.url);
    client = apiClientOf(app);
  });
  afterEach(async () => {
    await app.runs.shutdown();
    app.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const runToEnd = async (task: string) => {
    const run = await client.runs.start({ workflow, projectDir: dir, inputs: { task } });
    return app.runs.wait(run.id);
  };

  it('compares two runs through the API: per node, and where they diverge', async () => {
    const tea = await runToEnd('tea');
    const coffee = await runToEnd('coffee');
    const comparison = await client.runs.compare({ a: tea.id, b: coffee.id });
    expect(comparison.a.id).toBe(tea.id);
    // The app has project memory: the writer's first journaled step is the recall for its task, before
    // its first model call, and that is where the runs part.
    expect(comparison.divergence).toMatchObject({ nodeId: 'writer', scope: 'writer#1', kind: 'memory' });
    expect(JSON.stringify(comparison.divergence?.a?.request)).toContain('Write about tea');
    expect(JSON.stringify(comparison.divergence?.b?.request)).toContain('Write about coffee');
    expect(comparison.nodes.map((node) => node.nodeId)).toEqual(['task', 'writer', 'result']);
  });

  it('exports a run as JSON and HTML through the API', async () => {
    const run = await runToEnd('tea');
    const json = await client.runs.export({ runId: run.id, format: 'json' });
    expect(RunExportDocumentSchema.parse(JSON.parse(json.content)).run.id).toBe(run.id);
    const page = await client.runs.export({ runId: run.id, format: 'html' });
    expect(page.mediaType).toBe('text/html; charset=utf-8');
    expect(page.content).toContain('<pre class="transcript-text">reply 1</pre>');
  });

  it('refuses bad input with a clear error, and names a missing run', async () => {
    const run = await runToEnd('tea');
    const badFormat = client.runs.export({ runId: run.id, format: 'pdf' as never });
    await expect(badFormat).rejects.toBeInstanceOf(ORPCError);
    await expect(badFormat).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(client.runs.compare({ a: run.id, b: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(client.runs.compare({ a: run.id, b: 'missing' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no run with id "missing"',
    });
    await expect(client.runs.export({ runId: 'missing', format: 'html' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
