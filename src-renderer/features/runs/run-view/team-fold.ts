import type { RunEvent } from '@shared/run-events';
import { TaskTreeFold } from '@shared/team-tasks';
import {
  applyTeamEvent,
  countMembers,
  emptyTeamView,
  isTeamEvent,
  restartTeam,
  type TeamRunView,
} from '../../builder/run/team-run-view';

const TASK_EVENTS = new Set(['team.task.created', 'team.task.started', 'team.task.completed', 'team.task.failed']);
const RUN_ENDS = new Set(['run.failed', 'run.cancelled']);

/**
 * The war room's teams: the same view the canvas folds (task tree, board, tally, scratchpad), built for
 * a long stream. The canvas refolds a team's task tree from all its events at every task event and
 * member model call; here each team's tree is folded event by event by the shared `TaskTreeFold` (the
 * rules `foldTaskTree` applies) and drawn once per snapshot, so a frame costs O(its events + tasks),
 * never O(the run). The view's `taskEvents` stays empty: nothing here refolds from them.
 */
export class TeamFold {
  private readonly teams = new Map<string, TeamRunView>();
  private readonly taskTrees = new Map<string, TaskTreeFold>();
  /** Which team each member's node id belongs to. */
  private readonly teamOfMember = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private last: Readonly<Record<string, TeamRunView>> = {};

  apply(event: RunEvent): void {
    const nodeId = event.nodeId;
    if (RUN_ENDS.has(event.type)) {
      // The tree fails a failed or cancelled run's unfinished tasks.
      for (const team of this.taskTrees.keys()) this.addTaskEvent(team, event);
      return;
    }
    if (nodeId === null) return;
    if (event.type === 'node.started' && this.teams.has(nodeId)) {
      this.update(nodeId, restartTeam);
      return;
    }
    if (event.type === 'llm.usage') {
      const team = this.teamOfMember.get(nodeId);
      if (team !== undefined) this.addTaskEvent(team, event);
      return;
    }
    if (!isTeamEvent(event)) return;
    if (event.type === 'team.task.created') this.teamOfMember.set(`${nodeId}/${event.data.taskId}`, nodeId);
    if (TASK_EVENTS.has(event.type)) this.addTaskEvent(nodeId, event);
    else this.update(nodeId, (view) => applyTeamEvent(view, event));
  }

  snapshot(): Readonly<Record<string, TeamRunView>> {
    if (this.dirty.size === 0) return this.last;
    const next: Record<string, TeamRunView> = { ...this.last };
    for (const team of this.dirty) {
      const view = this.teams.get(team) ?? emptyTeamView();
      const tasks = this.taskTrees.get(team)?.tree() ?? [];
      const folded = { ...view, tasks, counts: countMembers(tasks) };
      this.teams.set(team, folded);
      next[team] = folded;
    }
    this.dirty.clear();
    this.last = next;
    return next;
  }

  private addTaskEvent(team: string, event: RunEvent): void {
    let tree = this.taskTrees.get(team);
    if (!tree) {
      tree = new TaskTreeFold();
      this.taskTrees.set(team, tree);
    }
    tree.apply(event);
    if (!this.teams.has(team)) this.teams.set(team, emptyTeamView());
    this.dirty.add(team);
  }

  private update(team: string, change: (view: TeamRunView) => TeamRunView): void {
    this.teams.set(team, change(this.teams.get(team) ?? emptyTeamView()));
    this.dirty.add(team);
  }
}
