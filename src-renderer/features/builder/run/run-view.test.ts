import { describe, expect, it } from 'vitest';
import type { NewRunEvent, RunEvent } from '@shared/run-events';
import { applyRunEvent, initialRunView, type RunViewState } from './run-view';

let seq = 0;
function event(body: NewRunEvent, at = seq): RunEvent {
  seq += 1;
  return { runId: 'run-1', seq, at: new Date(Date.UTC(2026, 10, 21, 12, 0, at)).toISOString(), ...body };
}

function fold(events: RunEvent[], start: RunViewState = initialRunView(null, ['in', 'agent', 'gate', 'out'])) {
  return events.reduce(applyRunEvent, start);
}

const USAGE = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
const started = (nodeId: string) => event({ type: 'node.started', nodeId, data: { scope: nodeId, inputs: {} } });
const llmUsage = (inputTokens: number, outputTokens: number, costUsd: number) =>
  event({
    type: 'llm.usage',
    nodeId: 'agent',
    data: { scope: 'agent', inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd, model: 'm' },
  });
const runStarted = () =>
  event({ type: 'run.started', nodeId: null, data: { mode: 'normal', sourceRunId: null, inputs: {} } });

describe('run view', () => {
  it('follows node states, streams text, tool calls and usage', () => {
    seq = 0;
    const state = fold([
      runStarted(),
      event({ type: 'node.started', nodeId: 'in', data: { scope: 'in', inputs: {} } }, 0),
      event({ type: 'node.completed', nodeId: 'in', data: { scope: 'in', outputs: { value: 'x' } } }, 1),
      event({ type: 'node.started', nodeId: 'agent', data: { scope: 'agent', inputs: {} } }, 1),
      event({ type: 'llm.delta', nodeId: 'agent', data: { text: 'Hel' } }),
      event({ type: 'llm.delta', nodeId: 'agent', data: { text: 'lo' } }),
      event({
        type: 'tool.call',
        nodeId: 'agent',
        data: { scope: 'agent', name: 'read_file', input: { path: 'a.txt' } },
      }),
      event({
        type: 'tool.result',
        nodeId: 'agent',
        data: { scope: 'agent', name: 'read_file', output: 'contents', isError: false },
      }),
      llmUsage(100, 20, 0.01),
      llmUsage(50, 5, 0.002),
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
    seq = 0;
    const waiting = fold([
      runStarted(),
      started('gate'),
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
        event({ type: 'run.completed', nodeId: null, data: { outputs: { result: 'shipped' }, usage: USAGE } }),
      ],
      waiting,
    );
    expect(done.nodes.gate).toMatchObject({ status: 'completed', approval: null });
    expect(done.nodes.gate?.transcript).toEqual([{ kind: 'note', text: 'Decision: approve' }]);
    expect(done.nodes.out?.status).toBe('skipped');
    expect(done.status).toBe('completed');
    expect(done.outputs).toEqual({ result: 'shipped' });
  });

  it('ignores events it has already applied, so a reconnect from lastSeq loses and doubles nothing', () => {
    seq = 0;
    const events = [
      runStarted(),
      started('agent'),
      event({ type: 'llm.delta', nodeId: 'agent', data: { text: 'once' } }),
    ];
    const first = fold(events);
    expect(first.lastSeq).toBe(3);
    const again = fold(events, first);
    expect(again).toBe(first);
    expect(again.nodes.agent?.transcript).toEqual([{ kind: 'text', text: 'once' }]);
  });

  it('records failures and pauses with their reasons', () => {
    seq = 0;
    const state = fold([
      runStarted(),
      started('agent'),
      event({
        type: 'budget.exceeded',
        nodeId: 'agent',
        data: { scope: 'node', limit: { maxUsd: 1 }, spent: { usd: 2, tokens: 300 } },
      }),
      event({ type: 'run.paused', nodeId: null, data: { reason: 'budget reached', usage: USAGE } }),
    ]);
    expect(state.status).toBe('paused');
    expect(state.pauseReason).toBe('budget reached');
    expect(state.nodes.agent?.transcript).toEqual([
      { kind: 'note', text: 'Budget reached (node): $2.0000 and 300 tokens spent' },
    ]);
    const failed = fold(
      [
        event({ type: 'node.failed', nodeId: 'agent', data: { scope: 'agent', error: 'boom', policy: 'fail' } }),
        event({ type: 'run.failed', nodeId: 'agent', data: { error: 'boom', usage: USAGE } }),
      ],
      state,
    );
    expect(failed.nodes.agent).toMatchObject({ status: 'failed', error: 'boom' });
    expect(failed.error).toBe('boom');
  });

  it('notes which memories were put into an agent prompt', () => {
    seq = 0;
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
    expect(state.nodes.agent?.transcript).toEqual([
      { kind: 'note', text: 'Memory: 2 item(s) added to the prompt (120 tokens)' },
    ]);
  });

  it("shows a code node's sandbox run as a console entry with its output tails", () => {
    seq = 0;
    const state = fold([
      started('agent'),
      event({
        type: 'sandbox.executed',
        nodeId: 'agent',
        data: {
          scope: 'agent',
          language: 'python',
          exitCode: 1,
          termination: 'exited',
          durationMs: 420,
          stdoutTail: 'checking…\n',
          stderrTail: 'Traceback: boom\n',
          truncated: { stdout: 0, stderr: 2048 },
          artifacts: [{ path: 'out/report.txt', sizeBytes: 12, mediaType: 'text/plain' }],
        },
      }),
    ]);
    expect(state.nodes.agent?.transcript).toEqual([
      {
        kind: 'console',
        language: 'python',
        exitCode: 1,
        termination: 'exited',
        durationMs: 420,
        stdoutTail: 'checking…\n',
        stderrTail: 'Traceback: boom\n',
        truncated: { stdout: 0, stderr: 2048 },
        artifacts: [{ path: 'out/report.txt', sizeBytes: 12, mediaType: 'text/plain' }],
      },
    ]);
  });

  it("follows a team's tasks, rounds and votes in its node's transcript", () => {
    seq = 0;
    const state = fold(
      [
        started('crew'),
        event({
          type: 'team.task.created',
          nodeId: 'crew',
          data: { scope: 'crew', taskId: 't1', parentId: null, role: 'coder', task: 'write the parser', depth: 1 },
        }),
        event({ type: 'team.task.started', nodeId: 'crew', data: { scope: 'crew', taskId: 't1' } }),
        event({
          type: 'team.task.completed',
          nodeId: 'crew',
          data: { scope: 'crew', taskId: 't1', result: 'parser written', usage: USAGE },
        }),
        event({
          type: 'team.message.posted',
          nodeId: 'crew',
          data: { scope: 'crew', round: 1, from: 'reviewer', to: 'all', text: 'looks good' },
        }),
        event({ type: 'team.round.completed', nodeId: 'crew', data: { scope: 'crew', round: 1, agreed: true } }),
        event({
          type: 'team.vote.decided',
          nodeId: 'crew',
          data: { scope: 'crew', method: 'majority', winner: 'ship', tally: [], reason: null },
        }),
      ],
      initialRunView(null, ['crew']),
    );
    expect(state.nodes.crew?.transcript).toEqual([
      { kind: 'note', text: 'Task t1 for coder: write the parser' },
      { kind: 'note', text: 'Task t1 started' },
      { kind: 'note', text: 'Task t1 done: parser written' },
      { kind: 'note', text: 'Round 1, reviewer → all: looks good' },
      { kind: 'note', text: 'Round 1 reached agreement' },
      { kind: 'note', text: 'Vote (majority): ship' },
    ]);
  });

  it('keeps events it cannot read, raw, without failing the fold', () => {
    seq = 0;
    const unknown = (nodeId: string | null, rawType: string, data: unknown): RunEvent => {
      seq += 1;
      const at = new Date(Date.UTC(2026, 10, 21, 12, 0, seq)).toISOString();
      return {
        runId: 'run-1',
        seq,
        at,
        nodeId,
        type: 'unknown',
        rawType,
        data,
        problem: `unknown event type "${rawType}"`,
      };
    };
    const state = fold([
      runStarted(),
      started('agent'),
      unknown('agent', 'agent.dreamed', { dream: 'sheep' }),
      unknown(null, 'run.teleported', undefined),
      event({ type: 'llm.delta', nodeId: 'agent', data: { text: 'still here' } }),
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
