import { describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import { applyRunEvent, initialRunView, type RunViewState } from './run-view';

let seq = 0;
function event(type: RunEvent['type'], nodeId: string | null, data: Record<string, unknown> = {}, at = seq): RunEvent {
  seq += 1;
  return { runId: 'run-1', seq, at: new Date(Date.UTC(2026, 10, 21, 12, 0, at)).toISOString(), type, nodeId, data };
}

function fold(events: RunEvent[], start: RunViewState = initialRunView(null, ['in', 'agent', 'gate', 'out'])) {
  return events.reduce(applyRunEvent, start);
}

describe('run view', () => {
  it('follows node states, streams text, tool calls and usage', () => {
    seq = 0;
    const state = fold([
      event('run.started', null),
      event('node.started', 'in', {}, 0),
      event('node.completed', 'in', { outputs: { value: 'x' } }, 1),
      event('node.started', 'agent', {}, 1),
      event('llm.delta', 'agent', { text: 'Hel' }),
      event('llm.delta', 'agent', { text: 'lo' }),
      event('tool.call', 'agent', { name: 'read_file', input: { path: 'a.txt' } }),
      event('tool.result', 'agent', { name: 'read_file', output: 'contents', isError: false }),
      event('llm.usage', 'agent', { inputTokens: 100, outputTokens: 20, costUsd: 0.01 }),
      event('llm.usage', 'agent', { inputTokens: 50, outputTokens: 5, costUsd: 0.002 }),
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
      event('run.started', null),
      event('node.started', 'gate'),
      event('approval.requested', 'gate', { prompt: 'Ship it?', payload: { plan: 'p' } }),
    ]);
    expect(waiting.status).toBe('waiting');
    expect(waiting.nodes.gate).toMatchObject({
      status: 'waiting',
      approval: { prompt: 'Ship it?', payload: { plan: 'p' } },
    });
    const done = fold(
      [
        event('approval.decided', 'gate', { decision: 'approve' }),
        event('node.completed', 'gate', { outputs: { approved: { plan: 'p' } } }),
        event('node.skipped', 'out'),
        event('run.completed', null, { outputs: { result: 'shipped' } }),
      ],
      waiting,
    );
    expect(done.nodes.gate).toMatchObject({ status: 'completed', approval: null });
    expect(done.nodes.out?.status).toBe('skipped');
    expect(done.status).toBe('completed');
    expect(done.outputs).toEqual({ result: 'shipped' });
  });

  it('ignores events it has already applied, so a reconnect from lastSeq loses and doubles nothing', () => {
    seq = 0;
    const events = [
      event('run.started', null),
      event('node.started', 'agent'),
      event('llm.delta', 'agent', { text: 'once' }),
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
      event('run.started', null),
      event('node.started', 'agent'),
      event('budget.exceeded', 'agent', { limit: 1, spent: 2 }),
      event('run.paused', null, { reason: 'budget reached' }),
    ]);
    expect(state.status).toBe('paused');
    expect(state.pauseReason).toBe('budget reached');
    const failed = fold(
      [event('node.failed', 'agent', { error: 'boom' }), event('run.failed', 'agent', { error: 'boom' })],
      state,
    );
    expect(failed.nodes.agent).toMatchObject({ status: 'failed', error: 'boom' });
    expect(failed.error).toBe('boom');
  });

  it('notes which memories were put into an agent prompt', () => {
    seq = 0;
    const state = fold([
      event('node.started', 'agent'),
      event('memory.injected', 'agent', { tokens: 120, memories: [{ id: 'm1' }, { id: 'm2' }] }),
    ]);
    expect(state.nodes.agent?.transcript).toEqual([
      { kind: 'note', text: 'Memory: 2 item(s) added to the prompt (120 tokens)' },
    ]);
  });
});
