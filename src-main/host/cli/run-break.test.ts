import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WarRoom } from '../../app';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { openProfileWithFakeModel, type ProfileWithFakeModel } from '../../testing/test-app';
import { captureIo } from './testing/capture-io';
import { taskOfRequest } from '../../testing/fake-team';
import { followRun } from './run-command';

/** `warroom run --break …` at a terminal and without one, then `warroom runs continue` after a restart. */
describe('warroom run --break / runs continue', () => {
  let profile: ProfileWithFakeModel;
  beforeEach(async () => {
    profile = await openProfileWithFakeModel('warroom-run-break-', () => ({ text: 'the plan' }));
  });
  afterEach(() => profile.close());

  const openApp = () => profile.openApp();
  const capture = captureIo;
  const workflow = chainWorkflow([['plan', 'agent', { prompt: 'Plan {{in}}' }]]);
  const promptOf = (index: number) => taskOfRequest(profile.server.requests[index]);
  /** Starts the one-agent workflow on task `x` with a breakpoint before `nodeId`. */
  const startBreakingAt = (app: WarRoom, nodeId: string) =>
    app.runs.start({
      workflow,
      projectDir: profile.dir,
      inputs: { task: 'x' },
      breakpoints: [{ kind: 'node', nodeId }],
    });

  it('at a terminal, shows the pending input and continues with the edit typed in', async () => {
    const app = openApp();
    const run = startBreakingAt(app, 'plan');
    const io = capture(['e', '{"in":"typed"}']);
    expect(await followRun(app, run.id, io)).toBe(0);
    expect(io.lines).toEqual(expect.arrayContaining(['‖ paused before plan\n  input: {"in":"x"}']));
    expect(io.asked[0]).toContain('[c]ontinue / [s]tep');
    expect(promptOf(0)).toBe('Plan typed');
  });

  it('without a terminal, leaves the run paused; `runs continue` in a new process finishes it from the journal', async () => {
    const first = openApp();
    const run = startBreakingAt(first, 'result');
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
    expect(profile.server.requests).toHaveLength(1);
  });
});
