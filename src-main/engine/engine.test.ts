import { describe, expect, it } from 'vitest';
import { eventsOfType } from '@shared/run-events';
import { cancelAfter, createHarness, eventTypes } from './testing/engine-harness';
import { ScriptedLlm } from './testing/scripted-llm';
import { branchWorkflow, buildWorkflow, chainWorkflow } from './testing/workflow-builder';

/** The engine's own behaviour: the journal (replay, fork), resume, approvals, cancellation, live followers. */
describe('journal: replay and fork', () => {
  const pipeline = () =>
    chainWorkflow([
      ['plan', 'agent', { prompt: 'Plan {{in}}' }],
      ['build', 'agent', { prompt: 'Build {{in}}' }],
    ]);
  const echo = () =>
    new ScriptedLlm((request) => {
      const first = request.messages[0]?.content[0];
      return { text: `<${first?.type === 'text' ? first.text : ''}>` };
    });

  it('replays a run with zero model calls and identical outputs', async () => {
    const llm = echo();
    const { engine, runToEnd, events } = createHarness({ llm });
    const original = await runToEnd(pipeline(), { task: 'tea' });
    expect(original.outputs).toEqual({ result: '<Build <Plan tea>>' });
    const callsBefore = llm.calls.length;
    const replay = await engine.wait(engine.replay(original.id).id);
    expect(llm.calls.length).toBe(callsBefore);
    expect(replay.status).toBe('completed');
    expect(replay.mode).toBe('replay');
    expect(replay.outputs).toEqual(original.outputs);
    const outputsOf = (runId: string) =>
      events(runId)
        .filter((event) => event.type === 'node.completed')
        .map((event) => [event.nodeId, event.data.outputs]);
    expect(outputsOf(replay.id)).toEqual(outputsOf(original.id));
  });

  it('forks from a node with an edited input, re-using everything upstream', async () => {
    const llm = echo();
    const { engine, runToEnd } = createHarness({ llm });
    const original = await runToEnd(pipeline(), { task: 'tea' });
    const callsBefore = llm.calls.length;
    const fork = await engine.wait(engine.fork(original.id, 'build', 'a better plan').id);
    expect(fork.outputs).toEqual({ result: '<Build a better plan>' });
    expect(llm.calls.length - callsBefore).toBe(1);
    expect(fork.sourceRunId).toBe(original.id);

    const fromInput = await engine.wait(engine.fork(original.id, 'task', 'coffee').id);
    expect(fromInput.outputs).toEqual({ result: '<Build <Plan coffee>>' });
    expect(llm.calls.length - callsBefore).toBe(3);
  });
});

describe('run control', () => {
  it('cancels a run within a second, aborting in-flight model calls', async () => {
    const llm = new ScriptedLlm(() => ({ text: 'never', delayMs: 10_000 }));
    const { engine, events } = createHarness({ llm });
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['a', 'agent', { prompt: 'x' }],
        ['b', 'agent', { prompt: 'y' }],
      ],
      ['task.value -> a.in', 'task.value -> b.in'],
    );
    const run = engine.start({ workflow, inputs: { task: 1 }, projectDir: '/tmp' });
    const { run: finished, cancelMs } = await cancelAfter(engine, run.id);
    expect(cancelMs).toBeLessThan(1000);
    expect(finished.status).toBe('cancelled');
    expect(eventTypes(events(run.id)).at(-1)).toBe('run.cancelled');
  });

  it('refuses to resume a run another living process is executing', async () => {
    const { engine, store } = createHarness();
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['gate', 'approval', {}],
      ],
      ['task.value -> gate.in'],
    );
    const run = engine.start({ workflow, inputs: { task: 1 }, projectDir: '/tmp' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    store.updateRun(run.id, { ownerPid: process.ppid }, new Date().toISOString());
    const other = createHarness({ store }).engine;
    expect(() => other.resume(run.id)).toThrow(`run ${run.id} is being executed by process ${process.ppid}`);
    engine.cancel(run.id);
    await engine.wait(run.id);
  });

  it('pauses for approval, then continues with the edited payload', async () => {
    const { engine, events } = createHarness();
    const workflow = branchWorkflow(
      ['gate', 'approval', { prompt: 'Ship it?' }],
      [
        ['approved', 'result'],
        ['rejected', 'rejected'],
      ],
    );
    const run = engine.start({ workflow, inputs: { task: 'v1' }, projectDir: '/tmp' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.get(run.id).status).toBe('waiting');
    expect(events(run.id).find((event) => event.type === 'approval.requested')?.data).toMatchObject({
      payload: 'v1',
      prompt: 'Ship it?',
    });
    engine.approve(run.id, 'gate', { decision: 'edit', payload: 'v2' });
    expect((await engine.wait(run.id)).outputs).toEqual({ result: 'v2' });

    const second = engine.start({ workflow, inputs: { task: 'v1' }, projectDir: '/tmp' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    engine.approve(second.id, 'gate', { decision: 'reject', reason: 'no' });
    expect((await engine.wait(second.id)).outputs).toEqual({ rejected: { payload: 'v1', reason: 'no' } });
  });

  it('stays paused or waiting while another branch still holds the run, whichever is let go first', async () => {
    // Two branches: one waits for approval, the other pauses at a breakpoint before its agent.
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['gate', 'approval', {}],
        ['plan', 'agent', { prompt: 'Plan {{in}}' }],
        ['shipped', 'output', { name: 'shipped' }],
        ['planned', 'output', { name: 'planned' }],
      ],
      ['task.value -> gate.in', 'task.value -> plan.in', 'gate.approved -> shipped.value', 'plan.out -> planned.value'],
    );
    const { engine } = createHarness({ llm: new ScriptedLlm(() => ({ text: 'a plan' })) });
    const held = async (runId: string, status: string) => {
      for (let tries = 0; engine.get(runId).status !== status && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return engine.get(runId);
    };
    const start = () =>
      engine.start({
        workflow,
        inputs: { task: 'v1' },
        projectDir: '/tmp',
        breakpoints: [{ kind: 'node', nodeId: 'plan' }],
      });

    // The approval comes first: the breakpoint still holds the run.
    const first = start();
    await held(first.id, 'paused');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.get(first.id)).toMatchObject({ status: 'paused', pauseReason: expect.stringContaining('plan') });
    engine.approve(first.id, 'gate', { decision: 'approve' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.get(first.id).status).toBe('paused');
    engine.continue(first.id, 'continue');
    expect((await engine.wait(first.id)).outputs).toEqual({ shipped: 'v1', planned: 'a plan' });

    // The breakpoint is let go first: the approval still holds the run.
    const second = start();
    await held(second.id, 'paused');
    await new Promise((resolve) => setTimeout(resolve, 20));
    engine.continue(second.id, 'continue');
    expect(await held(second.id, 'waiting')).toMatchObject({
      status: 'waiting',
      pauseReason: 'waiting for approval of "gate"',
    });
    engine.approve(second.id, 'gate', { decision: 'approve' });
    expect((await engine.wait(second.id)).status).toBe('completed');
  });
});

describe('live followers', () => {
  const chain = (length: number) =>
    buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ...Array.from({ length }, (_, index): [string, string, Record<string, unknown>] => [
          `a${index}`,
          'agent',
          { prompt: `step ${index}: {{in}}` },
        ]),
        ['result', 'output', { name: 'result' }],
      ],
      [
        'task.value -> a0.in',
        ...Array.from({ length: length - 1 }, (_, index) => `a${index}.out -> a${index + 1}.in`),
        `a${length - 1}.out -> result.value`,
      ],
    );

  it('gives followers that join at any point every event once, in order, as stored', async () => {
    const llm = new ScriptedLlm(() => ({ text: 'ok', delayMs: 2 }));
    const { engine, events } = createHarness({ llm });
    const run = engine.start({ workflow: chain(40), inputs: { task: 't' }, projectDir: '/tmp' });
    const follow = async (afterSeq: number) => {
      const seen = [];
      for await (const event of engine.events(run.id, afterSeq, { follow: true })) seen.push(event);
      return seen;
    };
    const fromStart = follow(0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    const midway = engine.isLive(run.id) ? events(run.id).length : 0;
    const fromMidway = follow(midway);
    const [all, rest] = await Promise.all([fromStart, fromMidway]);
    expect(engine.get(run.id).status).toBe('completed');
    const stored = events(run.id);
    expect(all).toEqual(stored);
    expect(rest).toEqual(stored.slice(midway));
    expect(midway).toBeGreaterThan(0);
    expect(eventsOfType(all, 'node.completed')).toHaveLength(42);
  });
});
