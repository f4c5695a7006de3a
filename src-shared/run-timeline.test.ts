import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NewRunEvent, RunEvent } from './run-events';
import { foldTimeline, peakConcurrency, RUN_LANE_ID, TimelineFold, type TimelineSnapshot } from './run-timeline';
import { modelCallUsage, timedEvents } from './testing/run-events-fixture';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');

/** Events at the given millisecond offsets from T0, seq-numbered in order. */
const stream = (...timed: Array<[number, NewRunEvent]>) =>
  timedEvents(timed.map(([offset, event]) => [T0 + offset, event]));

const usage = (nodeId: string | null, scope: string) =>
  ({
    type: 'llm.usage',
    nodeId,
    data: { scope, ...modelCallUsage(0.01, 'claude-sonnet-4-6') },
  }) satisfies NewRunEvent;

/** Each lane as `[id, depth, [[kind, start, end, state]…]]`, times relative to T0. */
function shape(timeline: TimelineSnapshot): unknown[] {
  return timeline.laneOrder.map((id) => {
    const lane = timeline.lanes[id];
    return [
      id,
      lane?.depth,
      lane?.spans.map((span) => [
        span.kind,
        span.startMs - T0,
        span.endMs === null ? null : span.endMs - T0,
        span.state,
      ]),
    ];
  });
}

describe('foldTimeline', () => {
  it('draws a node with a model call, a tool call and a sandbox run as spans on its lane', () => {
    const events = stream(
      [0, { type: 'run.started', nodeId: null, data: { mode: 'normal', sourceRunId: null, inputs: {} } }],
      [10, { type: 'node.started', nodeId: 'coder', data: { scope: 'coder#1', inputs: {} } }],
      [20, { type: 'llm.started', nodeId: 'coder', data: { scope: 'coder#1', turn: 1, model: 'claude-sonnet-4-6' } }],
      [30, { type: 'llm.delta', nodeId: 'coder', data: { text: 'Let me look' } }],
      [120, usage('coder', 'coder#1')],
      [130, { type: 'tool.call', nodeId: 'coder', data: { scope: 'coder#1', id: 't1', name: 'read_file', input: {} } }],
      [
        170,
        {
          type: 'tool.result',
          nodeId: 'coder',
          data: { scope: 'coder#1', id: 't1', name: 'read_file', isError: true, output: 'no such file' },
        },
      ],
      [200, { type: 'node.completed', nodeId: 'coder', data: { scope: 'coder#1', outputs: {} } }],
      [210, { type: 'node.started', nodeId: 'run', data: { scope: 'run#1', inputs: {} } }],
      [220, { type: 'sandbox.started', nodeId: 'run', data: { scope: 'run#1', language: 'python' } }],
      [240, { type: 'sandbox.output', nodeId: 'run', data: { scope: 'run#1', stream: 'stdout', text: 'hi\n' } }],
      [
        300,
        {
          type: 'sandbox.executed',
          nodeId: 'run',
          data: {
            scope: 'run#1',
            language: 'python',
            exitCode: 0,
            termination: 'exited',
            durationMs: 75,
            stdoutTail: 'hi\n',
            stderrTail: '',
            truncated: { stdout: 0, stderr: 0 },
            artifacts: [],
          },
        },
      ],
      [310, { type: 'node.completed', nodeId: 'run', data: { scope: 'run#1', outputs: {} } }],
      [320, { type: 'run.completed', nodeId: null, data: { outputs: {}, usage: usage(null, '').data } }],
    );
    expect(shape(foldTimeline(events))).toEqual([
      [
        'coder',
        0,
        [
          ['node', 10, 200, 'ok'],
          ['model', 20, 120, 'ok'],
          ['tool', 130, 170, 'error'],
        ],
      ],
      [
        'run',
        0,
        [
          ['node', 210, 310, 'ok'],
          ['sandbox', 220, 300, 'ok'],
        ],
      ],
    ]);
  });

  it('nests team members under their team, and delegated members under the member that delegated', () => {
    const created = (taskId: string, parentId: string | null, role: string) =>
      ({
        type: 'team.task.created',
        nodeId: 'crew',
        data: { scope: 'crew#1', taskId, parentId, role, task: 'work', depth: 0 },
      }) satisfies NewRunEvent;
    const events = stream(
      [0, { type: 'node.started', nodeId: 'crew', data: { scope: 'crew#1', inputs: {} } }],
      [1, created('1', null, 'coordinator')],
      [2, { type: 'team.task.started', nodeId: 'crew', data: { scope: 'crew#1', taskId: '1' } }],
      [3, created('1.1', '1', 'coder')],
      [3, created('1.2', '1', 'tester')],
      [4, { type: 'team.task.started', nodeId: 'crew', data: { scope: 'crew#1', taskId: '1.1' } }],
      [4, { type: 'team.task.started', nodeId: 'crew', data: { scope: 'crew#1', taskId: '1.2' } }],
      [5, { type: 'llm.started', nodeId: 'crew/1.2', data: { scope: 'crew#1/1.2', turn: 1, model: 'm' } }],
      [
        9,
        {
          type: 'team.task.failed',
          nodeId: 'crew',
          data: { scope: 'crew#1', taskId: '1.2', error: 'model down' },
        },
      ],
      [10, { type: 'run.failed', nodeId: null, data: { error: 'x', usage: usage(null, '').data } }],
    );
    const timeline = foldTimeline(events);
    expect(shape(timeline)).toEqual([
      ['crew', 0, [['node', 0, 10, 'stopped']]],
      ['crew/1', 1, [['node', 2, 10, 'stopped']]],
      ['crew/1.1', 2, [['node', 4, 10, 'stopped']]],
      [
        'crew/1.2',
        2,
        [
          ['node', 4, 9, 'error'],
          ['model', 5, 10, 'stopped'],
        ],
      ],
    ]);
    expect(timeline.lanes['crew/1.1']?.label).toBe('coder · 1.1');
    expect(timeline.lanes['crew/1.1']?.parentId).toBe('crew/1');
  });

  it('draws a recorded sandbox run as long as it took, and a call of an old run from its first text', () => {
    const events = stream(
      [0, { type: 'llm.delta', nodeId: 'a', data: { text: 'x' } }],
      [50, usage('a', 'a#1')],
      [
        60,
        {
          type: 'sandbox.executed',
          nodeId: 'a',
          data: {
            scope: 'a#1',
            language: 'node',
            exitCode: 1,
            termination: 'exited',
            durationMs: 40,
            stdoutTail: '',
            stderrTail: 'boom',
            truncated: { stdout: 0, stderr: 0 },
            artifacts: [],
          },
        },
      ],
    );
    expect(shape(foldTimeline(events))).toEqual([
      [
        'a',
        0,
        [
          ['model', 0, 50, 'ok'],
          ['sandbox', 20, 60, 'error'],
        ],
      ],
    ]);
  });

  it('keeps a budget pause open through the pause and closes it on resume; approval waits end on the decision', () => {
    const spent = { usd: 1, tokens: 10 };
    const events = stream(
      [0, { type: 'approval.requested', nodeId: 'gate', data: { scope: 'gate#1', payload: {}, prompt: 'Ship it?' } }],
      [30, { type: 'approval.decided', nodeId: 'gate', data: { scope: 'gate#1', decision: 'reject' } }],
      [40, { type: 'budget.exceeded', nodeId: null, data: { scope: 'run', limit: { maxUsd: 1 }, spent } }],
      [41, { type: 'run.paused', nodeId: null, data: { reason: 'budget', usage: usage(null, '').data } }],
      [90, { type: 'run.resumed', nodeId: null, data: { mode: 'normal', sourceRunId: null, inputs: {} } }],
    );
    const timeline = foldTimeline(events);
    expect(shape(timeline)).toEqual([
      ['gate', 0, [['approval', 0, 30, 'error']]],
      [RUN_LANE_ID, 0, [['budget', 40, 90, 'ok']]],
    ]);
    expect(timeline.lanes.gate?.spans[0]?.label).toBe('Ship it?');
  });

  it('leaves spans open while the run is live, and keeps unchanged lanes identical between snapshots', () => {
    const events = stream(
      [0, { type: 'node.started', nodeId: 'a', data: { scope: 'a#1', inputs: {} } }],
      [0, { type: 'node.started', nodeId: 'b', data: { scope: 'b#1', inputs: {} } }],
      [5, { type: 'tool.call', nodeId: 'b', data: { scope: 'b#1', name: 'list_files', input: {} } }],
    );
    const fold = new TimelineFold();
    events.slice(0, 2).forEach((event) => fold.apply(event));
    const first = fold.snapshot();
    expect(fold.snapshot()).toBe(first);
    fold.apply(events[2] as RunEvent);
    const second = fold.snapshot();
    expect(second.lanes.a).toBe(first.lanes.a);
    expect(second.lanes.b).not.toBe(first.lanes.b);
    expect(second.laneOrder).toBe(first.laneOrder);
    // Lane b has a tool call open; lane a only its node span, which is not work in progress.
    expect([first.busyNow, second.busyNow]).toEqual([0, 1]);
    expect(second.lanes.b?.spans.map((span) => [span.kind, span.state, span.endMs])).toEqual([
      ['node', 'open', null],
      ['tool', 'open', null],
    ]);
  });
});

describe('peakConcurrency', () => {
  it('counts lanes busy at the same time, not back to back', () => {
    const events = stream(
      [0, { type: 'llm.started', nodeId: 'a', data: { scope: 'a#1', turn: 1, model: 'm' } }],
      [10, usage('a', 'a#1')],
      [10, { type: 'llm.started', nodeId: 'b', data: { scope: 'b#1', turn: 1, model: 'm' } }],
      [15, { type: 'llm.started', nodeId: 'c', data: { scope: 'c#1', turn: 1, model: 'm' } }],
      [20, usage('b', 'b#1')],
      [30, usage('c', 'c#1')],
    );
    expect(peakConcurrency(foldTimeline(events))).toBe(2);
    expect(foldTimeline(events.slice(0, 4)).busyNow).toBe(2);
    expect(foldTimeline(events).busyNow).toBe(0);
  });

  it('is never more than the number of lanes, and every closed span ends at or after it starts', () => {
    const step = fc.record({
      offset: fc.nat(1000),
      lane: fc.constantFrom('a', 'b', 'c'),
      what: fc.constantFrom('start', 'usage', 'call', 'result'),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const sorted = [...steps].sort((x, y) => x.offset - y.offset);
        const events = stream(
          ...sorted.map(({ offset, lane, what }): [number, NewRunEvent] => {
            const scope = `${lane}#1`;
            if (what === 'start')
              return [offset, { type: 'llm.started', nodeId: lane, data: { scope, turn: 1, model: 'm' } }];
            if (what === 'usage') return [offset, usage(lane, scope)];
            if (what === 'call')
              return [offset, { type: 'tool.call', nodeId: lane, data: { scope, name: 't', input: {} } }];
            return [
              offset,
              { type: 'tool.result', nodeId: lane, data: { scope, name: 't', isError: false, output: '' } },
            ];
          }),
        );
        const timeline = foldTimeline(events);
        expect(peakConcurrency(timeline)).toBeLessThanOrEqual(timeline.laneOrder.length);
        for (const id of timeline.laneOrder) {
          for (const span of timeline.lanes[id]?.spans ?? []) {
            if (span.endMs !== null) expect(span.endMs).toBeGreaterThanOrEqual(span.startMs);
          }
        }
      }),
    );
  });
});
