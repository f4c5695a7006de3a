import fs from 'node:fs';
import { openProfileWithFakeModel, type ProfileWithFakeModel } from '../../testing/test-app';
import { captureIo } from './testing/capture-io';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkflow } from '../../engine/testing/workflow-builder';
import { delegatingScript, teamWorkflow } from '../../testing/fake-team';
import { followRun, formatRunDetails, formatRunTable, loadWorkflowFile } from './run-command';
import { tasksReport } from './task-tree-format';

describe('warroom run / runs commands', () => {
  let profile: ProfileWithFakeModel;
  beforeEach(async () => {
    profile = await openProfileWithFakeModel('warroom-run-cli-', () => ({
      text: 'the plan',
      inputTokens: 1000,
      outputTokens: 100,
    }));
  });
  afterEach(() => profile.close());

  const openApp = () => profile.openApp();
  const capture = () => captureIo();
  const writeWorkflow = (withApproval: boolean) => {
    const file = path.join(profile.dir, 'workflow.json');
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['plan', 'agent', { prompt: 'Plan {{in}}' }],
        ...(withApproval ? [['gate', 'approval', { prompt: 'Go?' }] as [string, string, Record<string, unknown>]] : []),
        ['result', 'output', { name: 'result' }],
      ],
      withApproval
        ? ['task.value -> plan.in', 'plan.out -> gate.in', 'gate.approved -> result.value']
        : ['task.value -> plan.in', 'plan.out -> result.value'],
    );
    fs.writeFileSync(file, JSON.stringify(workflow));
    return file;
  };

  it('shows live progress per node with tokens and cost, the outputs, and exits 0', async () => {
    const app = openApp();
    const run = app.runs.start({
      workflow: loadWorkflowFile(writeWorkflow(false)),
      projectDir: profile.dir,
      inputs: { task: 'x' },
    });
    const io = capture();
    expect(await followRun(app, run.id, io)).toBe(0);
    expect(io.lines).toEqual(
      expect.arrayContaining([
        '▶ plan',
        '  plan: 1000 in + 100 out tokens, $0.0045',
        '✓ plan → {"out":"the plan"}',
        'completed — $0.0045',
        'outputs:\n{\n  "result": "the plan"\n}',
      ]),
    );
    expect(formatRunTable(app.runs.list())).toContain(`${run.id}  completed`);
    expect(formatRunDetails(app.runs.get(run.id), app.runs.eventsSoFar(run.id))).toContain('status: completed');
  });

  it('emits JSON lines with --json and exits 1 when the run fails', async () => {
    profile.server.setScript(() => ({ status: 500, retryAfterSeconds: 0.01 }));
    const app = openApp();
    const file = writeWorkflow(false);
    const run = app.runs.start({ workflow: loadWorkflowFile(file), projectDir: profile.dir, inputs: { task: 'x' } });
    const io = capture();
    expect(await followRun(app, run.id, io, { json: true })).toBe(1);
    const events = io.lines.map((line) => JSON.parse(line) as { type: string });
    expect(events.at(-1)?.type).toBe('run.failed');
  });

  it('leaves a run waiting for an approval nobody can give here, then `runs approve` finishes it', async () => {
    const file = writeWorkflow(true);
    const first = openApp();
    const run = first.runs.start({ workflow: loadWorkflowFile(file), projectDir: profile.dir, inputs: { task: 'x' } });
    const io = capture();
    expect(await followRun(first, run.id, io)).toBe(2);
    expect(io.errors).toEqual([`run ${run.id} waits for approval of "gate": warroom runs approve ${run.id} gate`]);
    first.close();

    const second = openApp();
    const afterSeq = second.runs.eventsSoFar(run.id).at(-1)?.seq ?? 0;
    second.runs.approve(run.id, 'gate', { decision: 'edit', payload: 'my plan' });
    const io2 = capture();
    expect(await followRun(second, run.id, io2, { afterSeq })).toBe(0);
    expect(second.runs.get(run.id).outputs).toEqual({ result: 'my plan' });
    expect(profile.server.requests).toHaveLength(1);
  });

  it("prints a team's sub-agents indented under it, and `runs tasks` gives the task tree as text and JSON", async () => {
    profile.server.setScript(
      delegatingScript([
        ['planner', 'plan the cart'],
        ['coder', 'write the cart'],
      ]),
    );
    const app = openApp();
    const run = app.runs.start({
      workflow: teamWorkflow(['planner', 'coder']),
      projectDir: profile.dir,
      inputs: { task: 'a cart' },
    });
    const io = capture();
    expect(await followRun(app, run.id, io)).toBe(0);
    const at = (prefix: string) => io.lines.findIndex((line) => line.startsWith(prefix));
    // The coordinator's task one level under the team, its delegates a level deeper, each member's own
    // events (model calls, tool calls) one level under its task.
    expect(at('▶ crew')).toBeGreaterThanOrEqual(0);
    expect(at('  ▶ crew/1 coordinator: a cart')).toBeGreaterThan(at('▶ crew'));
    expect(at('    crew/1: 100 in + 10 out tokens')).toBeGreaterThan(at('  ▶ crew/1 coordinator'));
    expect(at('    crew/1 → delegate({"role":"planner","task":"plan the cart"})')).toBeGreaterThan(0);
    expect(at('    ▶ crew/1.1 planner: plan the cart')).toBeGreaterThan(0);
    expect(at('      crew/1.1: 100 in + 10 out tokens')).toBeGreaterThan(at('    ▶ crew/1.1 planner'));
    expect(at('    ✓ crew/1.2 → coder did: write the cart ($')).toBeGreaterThan(0);
    expect(at('  ✓ crew/1 → team done')).toBeGreaterThan(at('    ✓ crew/1.2'));
    expect(io.lines.some((line) => line.includes('team.task.started'))).toBe(false);
    expect(formatRunDetails(app.runs.get(run.id), app.runs.eventsSoFar(run.id))).toContain(
      '\n    ▶ crew/1.1 planner: plan the cart\n',
    );

    const text = tasksReport(app.runs.eventsSoFar(run.id), false).split('\n');
    expect(text.map((line) => line.replace(/\$\d+\.\d+/, '$$x'))).toEqual([
      'team crew (crew#1)',
      '  ✓ 1 coordinator — completed, $x (200 in + 20 out tokens) — a cart',
      '    ✓ 1.1 planner — completed, $x (100 in + 10 out tokens) — plan the cart',
      '    ✓ 1.2 coder — completed, $x (100 in + 10 out tokens) — write the cart',
    ]);
    const json = JSON.parse(tasksReport(app.runs.eventsSoFar(run.id), true)) as Array<Record<string, unknown>>;
    expect(json).toEqual([
      expect.objectContaining({
        id: 'crew#1/1',
        parentId: null,
        role: 'coordinator',
        task: 'a cart',
        status: 'completed',
        usage: expect.objectContaining({ inputTokens: 200, outputTokens: 20 }) as unknown,
        children: [
          expect.objectContaining({ id: 'crew#1/1.1', parentId: 'crew#1/1', role: 'planner', children: [] }),
          expect.objectContaining({ id: 'crew#1/1.2', parentId: 'crew#1/1', role: 'coder', children: [] }),
        ] as unknown,
      }),
    ]);
    expect(tasksReport([], false)).toBe('no team tasks in this run');
  });

  it('refuses an invalid workflow file with every problem', () => {
    const file = path.join(profile.dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ schemaVersion: 1, id: 'x', name: '', nodes: [{}] }));
    expect(() => loadWorkflowFile(file)).toThrow(/name: a workflow needs a name.*nodes\[0\]\.id/);
  });
});
