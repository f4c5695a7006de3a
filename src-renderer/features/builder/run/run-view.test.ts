import { beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import { applyRunEvent, initialRunView, type RunViewState } from './run-view';
import {
  llmUsage,
  nodeAtWork,
  nextEventStamp,
  NO_USAGE,
  restartRunEvents,
  runEvent as event,
  runStarted,
  started,
  teamEvent,
  textDelta,
  toolCall,
} from './testing/run-events';

const fold = (events: RunEvent[], start: RunViewState = initialRunView(null, ['in', 'agent', 'gate', 'out'])) =>
  events.reduce(applyRunEvent, start);

const note = (text: string) => ({ kind: 'note', text });

describe('run view', () => {
  beforeEach(restartRunEvents);

  it('follows node states, streams text, tool calls and usage', () => {
    const state = fold([
      runStarted(),
      started('in', 0),
      event({ type: 'node.completed', nodeId: 'in', data: { scope: 'in', outputs: { value: 'x' } } }, 1),
      started('agent', 1),
      textDelta('agent', 'Hel'),
      textDelta('agent', 'lo'),
      toolCall('agent', 'read_file', { path: 'a.txt' }),
      event({
        type: 'tool.result',
        nodeId: 'agent',
        data: { scope: 'agent', name: 'read_file', output: 'contents', isError: false },
      }),
      llmUsage('agent', 100, 20, 0.01),
      llmUsage('agent', 50, 5, 0.002),
    ]);
    expect(state.status).toBe('running');
    expect(state.nodes.in?.status).toBe('completed');
    expect(state.nodes.agent).toMatchObject({ status: 'running', inputTokens: 150, outputTokens: 25 });
    expect(state.nodes.agent?.costUsd).toBeCloseTo(0.012);
    expect(state.nodes.agent?.transcript).toEqual([
      { kind: 'text', text: 'Hello' },
      { kind: 'tool-call', name: 'read_file', input: { path: 'a.txt' } },
      { kind: 'tool-result', name: 'read_file', output: 'contents', isError: false },
    ]);
    expect(state.nodes.out?.status).toBe('queued');
    expect(state.usage.inputTokens).toBe(150);
  });

  it('shows approvals waiting, then decided, then the final outputs', () => {
    const waiting = fold([
      ...nodeAtWork('gate'),
      event({
        type: 'approval.requested',
        nodeId: 'gate',
        data: { scope: 'gate', prompt: 'Ship it?', payload: { plan: 'p' } },
      }),
    ]);
    expect(waiting.status).toBe('waiting');
    expect(waiting.nodes.gate).toMatchObject({
      status: 'waiting',
      approval: { prompt: 'Ship it?', payload: { plan: 'p' } },
    });
    const done = fold(
      [
        event({ type: 'approval.decided', nodeId: 'gate', data: { scope: 'gate', decision: 'approve' } }),
        event({
          type: 'node.completed',
          nodeId: 'gate',
          data: { scope: 'gate', outputs: { approved: { plan: 'p' } } },
        }),
        event({ type: 'node.skipped', nodeId: 'out', data: {} }),
        event({ type: 'run.completed', nodeId: null, data: { outputs: { result: 'shipped' }, usage: NO_USAGE } }),
      ],
      waiting,
    );
    expect(done.nodes.gate).toMatchObject({ status: 'completed', approval: null });
    expect(done.nodes.gate?.transcript).toEqual([note('Decision: approve')]);
    expect(done.nodes.out?.status).toBe('skipped');
    expect(done.status).toBe('completed');
    expect(done.outputs).toEqual({ result: 'shipped' });
  });

  it('ignores events it has already applied, so a reconnect from lastSeq loses and doubles nothing', () => {
    const events = [...nodeAtWork('agent'), textDelta('agent', 'once')];
    const first = fold(events);
    expect(first.lastSeq).toBe(3);
    const again = fold(events, first);
    expect(again).toBe(first);
    expect(again.nodes.agent?.transcript).toEqual([{ kind: 'text', text: 'once' }]);
  });

  it('records failures and pauses with their reasons', () => {
    const state = fold([
      ...nodeAtWork('agent'),
      event({
        type: 'budget.exceeded',
        nodeId: 'agent',
        data: { scope: 'node', limit: { maxUsd: 1 }, spent: { usd: 2, tokens: 300 } },
      }),
      event({ type: 'run.paused', nodeId: null, data: { reason: 'budget reached', usage: NO_USAGE } }),
    ]);
    expect(state.status).toBe('paused');
    expect(state.pauseReason).toBe('budget reached');
    expect(state.nodes.agent?.transcript).toEqual([note('Budget reached (node): $2.0000 and 300 tokens spent')]);
    const failed = fold(
      [
        event({ type: 'node.failed', nodeId: 'agent', data: { scope: 'agent', error: 'boom', policy: 'fail' } }),
        event({ type: 'run.failed', nodeId: 'agent', data: { error: 'boom', usage: NO_USAGE } }),
      ],
      state,
    );
    expect(failed.nodes.agent).toMatchObject({ status: 'failed', error: 'boom' });
    expect(failed.error).toBe('boom');
  });

  it('notes which memories were put into an agent prompt', () => {
    const memory = (id: string) => ({ id, kind: 'decision' as const, score: 1, tokens: 60, reasons: [] });
    const state = fold([
      started('agent'),
      event({
        type: 'memory.injected',
        nodeId: 'agent',
        data: {
          scope: 'agent',
          namespaces: ['project'],
          tokenBudget: 500,
          tokens: 120,
          memories: [memory('m1'), memory('m2')],
        },
      }),
    ]);
    expect(state.nodes.agent?.transcript).toEqual([note('Memory: 2 item(s) added to the prompt (120 tokens)')]);
  });

  it("shows a code node's sandbox run as a console entry with its output tails", () => {
    // The console entry carries everything the sandbox reported of the run, field for field.
    const sandboxRun = {
      language: 'python' as const,
      exitCode: 1,
      termination: 'exited' as const,
      durationMs: 420,
      stdoutTail: 'checking…\n',
      stderrTail: 'Traceback: boom\n',
      truncated: { stdout: 0, stderr: 2048 },
      artifacts: [{ path: 'out/report.txt', sizeBytes: 12, mediaType: 'text/plain' }],
    };
    const state = fold([
      started('agent'),
      event({ type: 'sandbox.executed', nodeId: 'agent', data: { scope: 'agent', ...sandboxRun } }),
    ]);
    expect(state.nodes.agent?.transcript).toEqual([{ kind: 'console', ...sandboxRun }]);
  });

  it("follows a team's tasks, rounds and votes in its node's transcript", () => {
    const state = fold(
      [
        started('crew'),
        teamEvent('team.task.created', {
          taskId: 't1',
          parentId: null,
          role: 'coder',
          task: 'write the parser',
          depth: 1,
        }),
        teamEvent('team.task.started', { taskId: 't1' }),
        teamEvent('team.task.completed', { taskId: 't1', result: 'parser written', usage: NO_USAGE }),
        teamEvent('team.message.posted', { round: 1, from: 'reviewer', to: 'all', text: 'looks good' }),
        teamEvent('team.round.completed', { round: 1, agreed: true }),
        teamEvent('team.vote.decided', { method: 'majority', winner: 'ship', tally: [], reason: null }),
      ],
      initialRunView(null, ['crew']),
    );
    expect(state.nodes.crew?.transcript).toEqual(
      [
        'Task t1 for coder: write the parser',
        'Task t1 started',
        'Task t1 done: parser written',
        'Round 1, reviewer → all: looks good',
        'Round 1 reached agreement',
        'Vote (majority): ship',
      ].map(note),
    );
  });

  it('keeps events it cannot read, raw, without failing the fold', () => {
    const unknown = (nodeId: string | null, rawType: string, data: unknown): RunEvent => ({
      ...nextEventStamp(),
      nodeId,
      type: 'unknown',
      rawType,
      data,
      problem: `unknown event type "${rawType}"`,
    });
    const state = fold([
      ...nodeAtWork('agent'),
      unknown('agent', 'agent.dreamed', { dream: 'sheep' }),
      unknown(null, 'run.teleported', undefined),
      textDelta('agent', 'still here'),
    ]);
    expect(state.nodes.agent?.transcript).toEqual([
      {
        kind: 'unreadable',
        seq: 3,
        rawType: 'agent.dreamed',
        data: '{"dream":"sheep"}',
        problem: 'unknown event type "agent.dreamed"',
      },
      { kind: 'text', text: 'still here' },
    ]);
    expect(state.unreadable).toEqual([
      { seq: 4, rawType: 'run.teleported', data: 'undefined', problem: 'unknown event type "run.teleported"' },
    ]);
    expect(state.status).toBe('running');
    expect(state.lastSeq).toBe(5);
  });
});
