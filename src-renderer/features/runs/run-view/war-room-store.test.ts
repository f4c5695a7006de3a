import { describe, expect, it } from 'vitest';
import type { NewRunEvent, RunEvent } from '@shared/run-events';
import { aRun } from '@shared/testing/run-fixture';
import { createWarRoom } from './war-room-store';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');

function stream(...events: NewRunEvent[]): RunEvent[] {
  return events.map((event, index) => ({
    ...event,
    runId: 'r',
    seq: index + 1,
    at: new Date(T0 + index * 10).toISOString(),
  }));
}

const RUN = aRun({ id: 'r', status: 'running', budget: { maxUsd: 1 } });

const usage = (nodeId: string, scope: string, costUsd: number) =>
  ({
    type: 'llm.usage',
    nodeId,
    data: {
      scope,
      inputTokens: 1,
      outputTokens: 1,
      cacheReadTokens: 3,
      cacheWriteTokens: 0,
      costUsd,
      model: 'claude-sonnet-4-6',
    },
  }) satisfies NewRunEvent;

const teamRun = stream(
  { type: 'run.started', nodeId: null, data: { mode: 'normal', sourceRunId: null, inputs: {} } },
  { type: 'node.started', nodeId: 'crew', data: { scope: 'crew#1', inputs: { in: 'ship it' } } },
  {
    type: 'team.task.created',
    nodeId: 'crew',
    data: { scope: 'crew#1', taskId: '1', parentId: null, role: 'coordinator', task: 'lead', depth: 0 },
  },
  { type: 'team.task.started', nodeId: 'crew', data: { scope: 'crew#1', taskId: '1' } },
  { type: 'llm.started', nodeId: 'crew/1', data: { scope: 'crew#1/1', turn: 1, model: 'claude-sonnet-4-6' } },
  { type: 'llm.delta', nodeId: 'crew/1', data: { text: 'Dele' } },
  { type: 'llm.delta', nodeId: 'crew/1', data: { text: 'gating.' } },
  usage('crew/1', 'crew#1/1', 0.25),
  { type: 'tool.call', nodeId: 'crew/1', data: { scope: 'crew#1/1', id: 't1', name: 'run_code', input: { a: 1 } } },
  { type: 'sandbox.started', nodeId: 'crew/1', data: { scope: 'crew#1/1', language: 'python' } },
  { type: 'sandbox.output', nodeId: 'crew/1', data: { scope: 'crew#1/1', stream: 'stdout', text: 'step 1\n' } },
  { type: 'sandbox.output', nodeId: 'crew/1', data: { scope: 'crew#1/1', stream: 'stderr', text: 'warn\n' } },
  {
    type: 'tool.result',
    nodeId: 'crew/1',
    data: { scope: 'crew#1/1', id: 't1', name: 'run_code', isError: false, output: 'ok' },
  },
);

describe('the war room store', () => {
  it('folds a frame of events at once: nothing changes until the frame, then everything is there', () => {
    const frames: Array<() => void> = [];
    const room = createWarRoom(RUN, (callback) => frames.push(callback));
    let notifications = 0;
    room.store.subscribe(() => notifications++);
    teamRun.forEach((event) => room.receive(event));
    expect(frames).toHaveLength(1);
    expect(room.store.getState().lastSeq).toBe(0);
    frames[0]?.();
    expect(notifications).toBe(1);

    const state = room.store.getState();
    expect(state.eventCount).toBe(teamRun.length);
    expect(state.timeline.laneOrder).toEqual(['crew', 'crew/1']);
    expect(state.timeline.lanes['crew/1']?.spans.map((span) => [span.kind, span.state])).toEqual([
      ['node', 'open'],
      ['model', 'ok'],
      ['tool', 'ok'],
      ['sandbox', 'open'],
    ]);
    expect(state.transcripts['crew/1']).toEqual([
      { kind: 'text', text: 'Delegating.' },
      { kind: 'tool', seq: 9, name: 'run_code', input: { a: 1 }, output: 'ok', isError: false },
      {
        kind: 'console',
        seq: 10,
        language: 'python',
        chunks: [
          { stream: 'stdout', text: 'step 1\n' },
          { stream: 'stderr', text: 'warn\n' },
        ],
        result: null,
      },
    ]);
    expect(state.costs.total).toMatchObject({ costUsd: 0.25, cacheReadTokens: 3, calls: 1 });
    expect(state.costs.budget).toEqual({ maxUsd: 1 });
    expect(state.teams.crew?.tasks.map((task) => [task.id, task.status, task.usage.costUsd])).toEqual([
      ['crew#1/1', 'running', 0.25],
    ]);
    expect(state.nodeInputs.crew).toEqual({ in: 'ship it' });
    expect(room.eventAt(9)?.type).toBe('tool.call');
  });

  it('gives a lane that did not change the same object, so only the lanes that changed re-render', () => {
    const room = createWarRoom(RUN, () => undefined);
    teamRun.forEach((event) => room.receive(event));
    room.flush();
    const before = room.store.getState();
    const [more] = stream(
      ...teamRun.map(() => ({ type: 'node.skipped', nodeId: 'other', data: {} }) satisfies NewRunEvent),
      { type: 'llm.delta', nodeId: 'crew/1', data: { text: ' More.' } },
    ).slice(-1);
    room.receive(more as RunEvent);
    room.flush();
    const after = room.store.getState();
    expect(after.timeline.lanes.crew).toBe(before.timeline.lanes.crew);
    expect(after.transcripts.crew).toBe(before.transcripts.crew);
    expect(after.transcripts['crew/1']).not.toBe(before.transcripts['crew/1']);
    expect(after.transcripts['crew/1']?.[0]).toEqual({ kind: 'text', text: 'Delegating.' });
    expect(after.transcripts['crew/1']?.at(-1)).toEqual({ kind: 'text', text: ' More.' });
    expect(after.costs).toBe(before.costs);
  });

  it('ignores events it already has (a reconnect repeats none), and tracks approvals until decided', () => {
    const room = createWarRoom(RUN, () => undefined);
    const events = stream(
      { type: 'node.started', nodeId: 'gate', data: { scope: 'gate#1', inputs: {} } },
      { type: 'approval.requested', nodeId: 'gate', data: { scope: 'gate#1', payload: { v: 1 }, prompt: 'Ship?' } },
    );
    events.forEach((event) => room.receive(event));
    events.forEach((event) => room.receive(event));
    room.flush();
    expect(room.store.getState().eventCount).toBe(2);
    expect(room.store.getState().status).toBe('waiting');
    expect(room.store.getState().approvals).toEqual({ gate: { prompt: 'Ship?', payload: { v: 1 } } });
    const [decided] = stream(
      ...events.map(() => ({ type: 'node.skipped', nodeId: 'x', data: {} }) satisfies NewRunEvent),
      { type: 'approval.decided', nodeId: 'gate', data: { scope: 'gate#1', decision: 'approve' } },
    ).slice(-1);
    room.receive(decided as RunEvent);
    room.flush();
    expect(room.store.getState().approvals).toEqual({});
    expect(room.store.getState().status).toBe('running');
  });
});
