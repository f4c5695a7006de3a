import type { RunEvent, RunEventData } from '@shared/run-events';
import { foldTaskTree, type TeamTask } from '@shared/team-tasks';

/**
 * What the run view knows of one team node: its members' tasks (as the shared task-tree fold sees them),
 * the mesh board, the vote, and the scratchpad. Pure, folded event by event beside the run view.
 */

export interface MemberCounts {
  working: number;
  done: number;
  failed: number;
}

export type BoardMessage = Omit<RunEventData<'team.message.posted'>, 'scope'>;
export type Agreement = Omit<RunEventData<'team.member.agreed'>, 'scope'>;
export type RoundEnd = Omit<RunEventData<'team.round.completed'>, 'scope'>;
export type VoteCast = Omit<RunEventData<'team.vote.cast'>, 'scope'>;
export type Abstention = Omit<RunEventData<'team.vote.abstained'>, 'scope'>;
export type VoteDecision = Omit<RunEventData<'team.vote.decided'>, 'scope'>;

export interface TeamRunView {
  /**
   * The events the task tree is folded from: the tree is refolded from them by `foldTaskTree`, so the
   * rules of a task's life (a resumed team's tasks counted once, live usage, tasks failed with the run)
   * are written once, in src-shared, for the API, the CLI and this view alike.
   */
  taskEvents: readonly RunEvent[];
  tasks: TeamTask[];
  counts: MemberCounts;
  board: BoardMessage[];
  agreements: Agreement[];
  rounds: RoundEnd[];
  votes: VoteCast[];
  abstentions: Abstention[];
  decision: VoteDecision | null;
  scratchpad: Record<string, { by: string; value: string }>;
}

export type TeamEvent = Extract<RunEvent, { type: `team.${string}` }>;

export function emptyTeamView(): TeamRunView {
  return {
    taskEvents: [],
    tasks: [],
    counts: { working: 0, done: 0, failed: 0 },
    board: [],
    agreements: [],
    rounds: [],
    votes: [],
    abstentions: [],
    decision: null,
    scratchpad: {},
  };
}

export function isTeamEvent(event: RunEvent): event is TeamEvent {
  return event.type.startsWith('team.');
}

/** The node id a member's own events carry: the team's node id and the member's task id. */
export function memberNodeId(teamNodeId: string, taskId: string): string {
  return `${teamNodeId}/${taskId}`;
}

export function countMembers(tasks: readonly TeamTask[]): MemberCounts {
  const counts: MemberCounts = { working: 0, done: 0, failed: 0 };
  const visit = (task: TeamTask) => {
    if (task.status === 'running') counts.working += 1;
    else if (task.status === 'completed') counts.done += 1;
    else counts.failed += 1;
    task.children.forEach(visit);
  };
  tasks.forEach(visit);
  return counts;
}

/** "3 working · 2 done · 1 failed", leaving out the states no member is in. */
export function describeCounts(counts: MemberCounts): string {
  const parts = [
    counts.working > 0 ? `${counts.working} working` : null,
    counts.done > 0 ? `${counts.done} done` : null,
    counts.failed > 0 ? `${counts.failed} failed` : null,
  ].filter((part) => part !== null);
  return parts.join(' · ');
}

/** Adds an event the task tree depends on (a task's, a member's usage, the run ending) and refolds the tree. */
export function withTaskEvent(team: TeamRunView, event: RunEvent): TeamRunView {
  const taskEvents = [...team.taskEvents, event];
  const tasks = foldTaskTree(taskEvents);
  return { ...team, taskEvents, tasks, counts: countMembers(tasks) };
}

/**
 * A team node started again (a loop's next pass, or a resumed run re-running it): its board and vote
 * start over, as the engine's do; the task tree keeps every pass, as `foldTaskTree` does.
 */
export function restartTeam(team: TeamRunView): TeamRunView {
  return { ...team, board: [], agreements: [], rounds: [], votes: [], abstentions: [], decision: null };
}

export function applyTeamEvent(team: TeamRunView, event: TeamEvent): TeamRunView {
  switch (event.type) {
    case 'team.task.created':
    case 'team.task.started':
    case 'team.task.completed':
    case 'team.task.failed':
      return withTaskEvent(team, event);
    case 'team.message.posted':
      return { ...team, board: [...team.board, withoutScope(event)] };
    case 'team.member.agreed':
      return { ...team, agreements: [...team.agreements, withoutScope(event)] };
    case 'team.round.completed':
      return { ...team, rounds: [...team.rounds, withoutScope(event)] };
    case 'team.vote.cast':
      return { ...team, votes: [...team.votes, withoutScope(event)] };
    case 'team.vote.abstained':
      return { ...team, abstentions: [...team.abstentions, withoutScope(event)] };
    case 'team.vote.decided':
      return { ...team, decision: withoutScope(event) };
    case 'team.scratchpad.set': {
      const { key, by, value } = event.data;
      return { ...team, scratchpad: { ...team.scratchpad, [key]: { by, value } } };
    }
    default:
      event satisfies never;
      return team;
  }
}

function withoutScope<D extends { scope: string }>(event: { data: D }): Omit<D, 'scope'> {
  const { scope: _scope, ...rest } = event.data;
  return rest;
}
