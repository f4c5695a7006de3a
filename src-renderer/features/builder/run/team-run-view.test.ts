import { beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import { applyRunEvent, initialRunView, type RunViewState } from './run-view';
import { describeCounts } from './team-run-view';
import {
  llmUsage,
  nodeAtWork,
  NO_USAGE,
  restartRunEvents,
  runEvent as event,
  started,
  teamEvent,
  textDelta,
  toolCall,
} from './testing/run-events';

/** The run view of team nodes: their members' tasks, board and vote, and members' own events. */

const fold = (events: RunEvent[], start: RunViewState) => events.reduce(applyRunEvent, start);

describe('team run view', () => {
  beforeEach(restartRunEvents);

  const task = (taskId: string, parentId: string | null, role: string) =>
    teamEvent('team.task.created', { taskId, parentId, role, task: `${role} work`, depth: parentId ? 1 : 0 });
  const completed = (taskId: string, costUsd: number) =>
    teamEvent('team.task.completed', {
      taskId,
      result: `${taskId} done`,
      usage: { inputTokens: 10, outputTokens: 5, costUsd },
    });
  const memberUsage = (taskId: string, costUsd: number) => llmUsage(`crew/${taskId}`, 10, 5, costUsd);
  const delegation = () => [
    ...nodeAtWork('crew'),
    task('1', null, 'coordinator'),
    task('1.1', '1', 'planner'),
    task('1.2', '1', 'coder'),
    task('1.3', '1', 'tester'),
  ];

  it('counts working, done and failed members, and nests delegated tasks under their coordinator', () => {
    const state = fold(
      [
        ...delegation(),
        memberUsage('1.1', 0.01),
        completed('1.1', 0.01),
        teamEvent('team.task.failed', { taskId: '1.3', error: 'boom' }),
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
    const state = fold(
      [
        ...delegation(),
        textDelta('crew/1.2', 'writing '),
        textDelta('crew/1.2', 'the parser'),
        toolCall('crew/1.2', 'write_file', { path: 'p.ts' }),
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
    const before = fold(delegation(), initialRunView(null, ['crew', 'agent']));
    const after = fold([textDelta('crew/1.1', 'token')], before);
    expect(after.nodes.crew).toBe(before.nodes.crew);
    expect(after.nodes.agent).toBe(before.nodes.agent);
    expect(after.teams.crew).toBe(before.teams.crew);
  });

  it('fails the tasks still running when the run fails, by the shared task-tree rule', () => {
    const state = fold(
      [...delegation(), event({ type: 'run.failed', nodeId: null, data: { error: 'out of money', usage: NO_USAGE } })],
      initialRunView(null, ['crew']),
    );
    expect(state.teams.crew?.counts).toEqual({ working: 0, done: 0, failed: 4 });
    expect(state.teams.crew?.tasks[0]?.error).toBe('the run failed: out of money');
  });

  it('follows a mesh board: rounds, who wrote to whom, who agreed', () => {
    const state = fold(
      [
        started('crew'),
        teamEvent('team.message.posted', { round: 1, from: 'architect', to: 'all', text: 'one queue' }),
        teamEvent('team.member.agreed', { round: 1, member: 'architect', reason: 'simple' }),
        teamEvent('team.round.completed', { round: 1, agreed: false }),
        teamEvent('team.scratchpad.set', { by: 'architect', key: 'queue', value: 'per tenant' }),
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
    const tally = [{ answer: 'ship', votes: 2, voters: ['v1', 'v2'] }];
    const state = fold(
      [
        started('crew'),
        teamEvent('team.vote.cast', { voter: 'v1', answer: 'ship' }),
        teamEvent('team.vote.cast', { voter: 'v2', answer: 'ship' }),
        teamEvent('team.vote.abstained', { voter: 'v3', reason: 'timed out' }),
        teamEvent('team.vote.decided', { method: 'judge', winner: 'ship', tally, reason: 'two agree' }),
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
