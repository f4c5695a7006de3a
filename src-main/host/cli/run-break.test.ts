import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WarRoom } from '../../app';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import { createAppWithFakeModel } from '../../testing/test-app';
import { followRun, type RunCommandIo } from './run-command';

/** `warroom run --break …` at a terminal and without one, then `warroom runs continue` after a restart. */
describe('warroom run --break / runs continue', () => {
  let dir: string;
  let server: FakeAnthropicServer;
  const apps: WarRoom[] = [];
  const openApp = () => {
    const app = createAppWithFakeModel(path.join(dir, 'profile'), server.url);
    apps.push(app);
    return app;
  };
  const capture = (answers?: string[]): RunCommandIo & { lines: string[]; errors: string[]; asked: string[] } => {
    const lines: string[] = [];
    const errors: string[] = [];
    const asked: string[] = [];
    return {
      lines,
      errors,
      asked,
      out: (line) => lines.push(line),
      err: (line) => errors.push(line),
      ...(answers
        ? {
            ask: (question: string) => {
              asked.push(question);
              return Promise.resolve(answers.shift() ?? '');
            },
          }
        : {}),
    };
  };
  const workflow = chainWorkflow([['plan', 'agent', { prompt: 'Plan {{in}}' }]]);
  const promptOf = (index: number) => {
    const content = server.requests[index]?.body.messages[0]?.content;
    return Array.isArray(content) ? (content[0] as { text?: string }).text : content;
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-run-break-'));
    server = await startFakeAnthropicServer(() => ({ text: 'the plan' }));
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) app.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('at a terminal, shows the pending input and continues with the edit typed in', async () => {
    const app = openApp();
    const run = app.runs.start({
      workflow,
      projectDir: dir,
      inputs: { task: 'x' },
      breakpoints: [{ kind: 'node', nodeId: 'plan' }],
    });
    const io = capture(['e', '{"in":"typed"}']);
    expect(await followRun(app, run.id, io)).toBe(0);
    expect(io.lines).toEqual(expect.arrayContaining(['‖ paused before plan\n  input: {"in":"x"}']));
    expect(io.asked[0]).toContain('[c]ontinue / [s]tep');
    expect(promptOf(0)).toBe('Plan typed');
  });

  it('without a terminal, leaves the run paused; `runs continue` in a new process finishes it from the journal', async () => {
    const first = openApp();
    const run = first.runs.start({
      workflow,
      projectDir: dir,
      inputs: { task: 'x' },
      breakpoints: [{ kind: 'node', nodeId: 'result' }],
    });
    const io = capture();
    expect(await followRun(first, run.id, io)).toBe(2);
    expect(io.errors.join('\n')).toContain(`warroom runs continue ${run.id}`);
    expect(io.lines.at(-1)).toBe(`run ${run.id} is paused: warroom runs continue ${run.id}`);
    first.close();

    const second = openApp();
    const afterSeq = second.runs.eventsSoFar(run.id).at(-1)?.seq ?? 0;
    second.runs.continue(run.id, 'continue', { value: 'overridden' });
    expect(await followRun(second, run.id, capture(), { afterSeq })).toBe(0);
    expect(second.runs.get(run.id).outputs).toEqual({ result: 'overridden' });
    expect(server.requests).toHaveLength(1);
  });
});
