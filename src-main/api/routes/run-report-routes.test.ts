import { ORPCError } from '@orpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunExportDocumentSchema } from '@shared/run-export';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { openAppWithFakeModel, type AppWithFakeModel } from '../../testing/test-app';

const workflow = chainWorkflow([['writer', 'agent', { prompt: 'Write about {{in}}' }]]);

describe('runs.compare and runs.export', () => {
  let api: AppWithFakeModel;
  beforeEach(async () => {
    api = await openAppWithFakeModel('warroom-run-report-api-', (request) => ({
      text: `reply ${request.body.messages.length}`,
    }));
  });
  afterEach(() => api.close());

  const runToEnd = async (task: string) => {
    const run = await api.client.runs.start({ workflow, projectDir: api.dir, inputs: { task } });
    return api.app.runs.wait(run.id);
  };

  it('compares two runs through the API: per node, and where they diverge', async () => {
    const tea = await runToEnd('tea');
    const coffee = await runToEnd('coffee');
    const comparison = await api.client.runs.compare({ a: tea.id, b: coffee.id });
    expect(comparison.a.id).toBe(tea.id);
    // The api.app has project memory: the writer's first journaled step is the recall for its task, before
    // its first model call, and that is where the runs part.
    expect(comparison.divergence).toMatchObject({ nodeId: 'writer', scope: 'writer#1', kind: 'memory' });
    expect(JSON.stringify(comparison.divergence?.a?.request)).toContain('Write about tea');
    expect(JSON.stringify(comparison.divergence?.b?.request)).toContain('Write about coffee');
    expect(comparison.nodes.map((node) => node.nodeId)).toEqual(['task', 'writer', 'result']);
  });

  it('exports a run as JSON and HTML through the API', async () => {
    const run = await runToEnd('tea');
    const json = await api.client.runs.export({ runId: run.id, format: 'json' });
    expect(RunExportDocumentSchema.parse(JSON.parse(json.content)).run.id).toBe(run.id);
    const page = await api.client.runs.export({ runId: run.id, format: 'html' });
    expect(page.mediaType).toBe('text/html; charset=utf-8');
    expect(page.content).toContain('<pre class="transcript-text">reply 1</pre>');
  });

  it('refuses bad input with a clear error, and names a missing run', async () => {
    const run = await runToEnd('tea');
    const badFormat = api.client.runs.export({ runId: run.id, format: 'pdf' as never });
    await expect(badFormat).rejects.toBeInstanceOf(ORPCError);
    await expect(badFormat).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.client.runs.compare({ a: run.id, b: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.client.runs.compare({ a: run.id, b: 'missing' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no run with id "missing"',
    });
    await expect(api.client.runs.export({ runId: 'missing', format: 'html' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
