import { describe, expect, it } from 'vitest';
import type { NewRunEvent, RunEvent } from '@shared/run-events';
import { applyRunEvent, initialRunView, type RunViewState } from './run-view';
import { describeCounts } from './team-run-view';

/** The run view of team nodes: their members' tasks, board and vote, and members' own events. */

let seq = 0;
function event(body: NewRunEvent): RunEvent {
  seq += 1;
  return { runId: 'run-1', seq, at: new Date(Date.UTC(2026, 11, 2, 3, 0, seq)).toISOString(), ...body };
}

const fold = (events: RunEvent[], start: RunViewState) => events.reduce(applyRunEvent, start);
const USAGE = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
const started = (nodeId: string) => event({ type: 'node.started', nodeId, data: { scope: nodeId, inputs: {} } });
const runStarted = () =>
  event({ type: 'run.started', nodeId: null, data: { mode: 'normal', sourceRunId: null, inputs: {} } });

describe('team run view', () => {
  const task = (taskId: string, parentId: string | null, role: string) =>
    event({
      type: 'team.task.created',
      nodeId: 'crew',
      data: { scope: 'crew', taskId, parentId, role, task: `${role} work`, depth: parentId ? 1 : 0 },
    });
  const completed = (taskId: string, costUsd: number) =>
    event({
      type: 'team.task.completed',
      nodeId: 'crew',
      data: { scope: 'crew', taskId, result: `${taskId} done`, usage: { inputTokens: 10, outputTokens: 5, costUsd } },
    });
  const memberUsage = (taskId: string, costUsd: number) =>
    event({
      type: 'llm.usage',
      nodeId: `crew/${taskId}`,
      data: {
        scope: `crew/${taskId}`,
        inputTokens: 10,
        outputTokens: 5,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd,
        model: 'm',
      },
    });
  const delegation = () => [
    runStarted(),
    started('crew'),
    task('1', null, 'coordinator'),
    task('1.1', '1', 'planner'),
    task('1.2', '1', 'coder'),
    task('1.3', '1', 'tester'),
  ];

  it('counts working, done and failed members, and nests delegated tasks under their coordinator', () => {
    seq = 0;
    const state = fold(
      [
        ...delegation(),
        memberUsage('1.1', 0.01),
        completed('1.1', 0.01),
        event({ type: 'team.task.failed', nodeId: 'crew', data: { scope: 'crew', taskId: '1.3', error: 'boom' } }),
        memberUsage('1.2', 0.02),
      ],
      initialRunView(null, ['crew']),
    );
    const team = state.teams.crew;
    expect(team?.counts).toEqual({ working: 2, done: 1, failed: 1 });
    expect(describeCounts(team?.counts ?? { working: 0, done: 0, failed: 0 })).toBe('2 working · 1 done · 1 failed');
    const [coordinator] = team?.tasks ?? [];
    expect(coordinator).toMatchObject({ taskId: '1', role: 'coordinator', status: 'running' });
    expect(coordinator?.children.map((child) => [child.taskId, child.status])).toEqual([
      ['1.1', 'completed'],
      ['1.2', 'running'],
      ['1.3', 'failed'],
    ]);
    // A running member's cost is live, from its model calls so far.
    expect(coordinator?.children[1]?.usage.costUsd).toBeCloseTo(0.02);
    // The team node costs what its members spent.
    expect(state.nodes.crew).toMatchObject({ inputTokens: 20, outputTokens: 10 });
    expect(state.nodes.crew?.costUsd).toBeCloseTo(0.03);
  });

  it("keeps a member's own events in the member's transcript, never as a canvas node", () => {
    seq = 0;
    const state = fold(
      [
        ...delegation(),
        event({ type: 'llm.delta', nodeId: 'crew/1.2', data: { text: 'writing ' } }),
        event({ type: 'llm.delta', nodeId: 'crew/1.2', data: { text: 'the parser' } }),
        event({
          type: 'tool.call',
          nodeId: 'crew/1.2',
          data: { scope: 'crew/1.2', name: 'write_file', input: { path: 'p.ts' } },
        }),
        memberUsage('1.2', 0.02),
      ],
      initialRunView(null, ['crew']),
    );
    expect(Object.keys(state.nodes)).toEqual(['crew']);
    expect(state.members['crew/1.2']?.transcript).toEqual([
      { kind: 'text', text: 'writing the parser' },
      { kind: 'tool-call', name: 'write_file', input: { path: 'p.ts' } },
    ]);
    expect(state.members['crew/1.2']?.costUsd).toBeCloseTo(0.02);
    expect(state.usage.costUsd).toBeCloseTo(0.02);
  });

  it("leaves other nodes' views untouched while a member streams", () => {
    seq = 0;
    const before = fold(delegation(), initialRunView(null, ['crew', 'agent']));
    const after = fold([event({ type: 'llm.delta', nodeId: 'crew/1.1', data: { text: 'token' } })], before);
    expect(after.nodes.crew).toBe(before.nodes.crew);
    expect(after.nodes.agent).toBe(before.nodes.agent);
    expect(after.teams.crew).toBe(before.teams.crew);
  });

  it('fails the tasks still running when the run fails, by the shared task-tree rule', () => {
    seq = 0;
    const state = fold(
      [...delegation(), event({ type: 'run.failed', nodeId: null, data: { error: 'out of money', usage: USAGE } })],
      initialRunView(null, ['crew']),
    );
    expect(state.teams.crew?.counts).toEqual({ working: 0, done: 0, failed: 4 });
    expect(state.teams.crew?.tasks[0]?.error).toBe('the run failed: out of money');
  });

  it('follows a mesh board: rounds, who wrote to whom, who agreed', () => {
    seq = 0;
    const state = fold(
      [
        started('crew'),
        event({
          type: 'team.message.posted',
          nodeId: 'crew',
          data: { scope: 'crew', round: 1, from: 'architect', to: 'all', text: 'one queue' },
        }),
        event({
          type: 'team.member.agreed',
          nodeId: 'crew',
          data: { scope: 'crew', round: 1, member: 'architect', reason: 'simple' },
        }),
        event({ type: 'team.round.completed', nodeId: 'crew', data: { scope: 'crew', round: 1, agreed: false } }),
        event({
          type: 'team.scratchpad.set',
          nodeId: 'crew',
          data: { scope: 'crew', by: 'architect', key: 'queue', value: 'per tenant' },
        }),
      ],
      initialRunView(null, ['crew']),
    );
    expect(state.teams.crew).toMatchObject({
      board: [{ round: 1, from: 'architect', to: 'all', text: 'one queue' }],
      agreements: [{ round: 1, member: 'architect', reason: 'simple' }],
      rounds: [{ round: 1, agreed: false }],
      scratchpad: { queue: { by: 'architect', value: 'per tenant' } },
    });
    // The node running again (a resumed run) starts its board over, as the engine does.
    const again = fold([started('crew')], state);
    expect(again.teams.crew).toMatchObject({ board: [], agreements: [], rounds: [] });
  });

  it('follows a vote: answers as they are cast, abstentions, then the tally and the judge’s reason', () => {
    seq = 0;
    const tally = [{ answer: 'ship', votes: 2, voters: ['v1', 'v2'] }];
    const state = fold(
      [
        started('crew'),
        event({ type: 'team.vote.cast', nodeId: 'crew', data: { scope: 'crew', voter: 'v1', answer: 'ship' } }),
        event({ type: 'team.vote.cast', nodeId: 'crew', data: { scope: 'crew', voter: 'v2', answer: 'ship' } }),
        event({
          type: 'team.vote.abstained',
          nodeId: 'crew',
          data: { scope: 'crew', voter: 'v3', reason: 'timed out' },
        }),
        event({
          type: 'team.vote.decided',
          nodeId: 'crew',
          data: { scope: 'crew', method: 'judge', winner: 'ship', tally, reason: 'two agree' },
        }),
      ],
      initialRunView(null, ['crew']),
    );
    expect(state.teams.crew).toMatchObject({
      votes: [
        { voter: 'v1', answer: 'ship' },
        { voter: 'v2', answer: 'ship' },
      ],
      abstentions: [{ voter: 'v3', reason: 'timed out' }],
      decision: { method: 'judge', winner: 'ship', tally, reason: 'two agree' },
    });
  });
});
