import { z } from 'zod';
import type { RunEvent } from './run-events';
import { UsageSchema, type Usage } from './runs';

/**
 * A team's work as a tree: one task per member agent (the coordinator's, each delegation under the task
 * that delegated it; mesh rounds and voters are roots). Task ids are unique only within one execution of
 * a team node, so a task's `id` is the member's scope — `<team scope>/<taskId>`, e.g. `crew#1/1.2` — which
 * is unique in the run and is the `scope` of the member's own events (llm.usage, tool.call…).
 */
export const TeamTaskSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  /** The id the team gave the task (`1.2`: the second delegation of task 1); members' node ids end with it. */
  taskId: z.string(),
  teamNodeId: z.string(),
  /** Which execution of the team node (loops run a node many times). */
  teamScope: z.string(),
  role: z.string(),
  task: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  usage: UsageSchema,
  result: z.string().nullable(),
  error: z.string().nullable(),
  get children(): z.ZodArray<typeof TeamTaskSchema> {
    return z.array(TeamTaskSchema);
  },
});
export type TeamTask = z.infer<typeof TeamTaskSchema>;
export type TeamTaskStatus = TeamTask['status'];

type TaskRecord = Omit<TeamTask, 'children'>;

/**
 * Folds a run's events into its teams' task trees, in the order tasks were first created. A resumed run
 * runs its team again: a task created again starts over (its usage is counted anew from the journaled
 * calls). A running task shows the usage of its model calls so far; a run that failed or was cancelled
 * fails its unfinished tasks with the run's reason, while a paused run's stay running (resume continues them).
 */
export function foldTaskTree(events: readonly RunEvent[]): TeamTask[] {
  const fold = new TaskTreeFold();
  for (const event of events) fold.apply(event);
  return fold.tree();
}

/**
 * `foldTaskTree` event by event, for a live view: `apply` costs O(1) per event (O(tasks) for a run that
 * ends), `tree` O(tasks), so a long stream is never refolded from its start. The rules are written here
 * only; `foldTaskTree` is this fold over a whole stream.
 */
export class TaskTreeFold {
  private readonly tasks = new Map<string, TaskRecord>();

  apply(event: RunEvent): void {
    switch (event.type) {
      case 'team.task.created': {
        const { scope, taskId, parentId, role, task } = event.data;
        const id = taskKey(scope, taskId);
        const record: TaskRecord = {
          id,
          parentId: parentId === null ? null : taskKey(scope, parentId),
          taskId,
          teamNodeId: event.nodeId ?? '',
          teamScope: scope,
          role,
          task,
          status: 'running',
          usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
          result: null,
          error: null,
        };
        // Replacing the value keeps the key's place: the task stays where it was first created.
        this.tasks.set(id, record);
        break;
      }
      case 'team.task.completed': {
        const task = this.tasks.get(taskKey(event.data.scope, event.data.taskId));
        if (!task) break;
        task.status = 'completed';
        task.result = event.data.result;
        task.usage = { ...event.data.usage };
        break;
      }
      case 'team.task.failed': {
        const task = this.tasks.get(taskKey(event.data.scope, event.data.taskId));
        if (task) fail(task, event.data.error);
        break;
      }
      case 'llm.usage': {
        const task = event.data.scope === undefined ? undefined : this.tasks.get(event.data.scope);
        if (task?.status === 'running') task.usage = addUsage(task.usage, event.data);
        break;
      }
      case 'run.failed':
        this.endRunning(`the run failed: ${event.data.error}`);
        break;
      case 'run.cancelled':
        this.endRunning('the run was cancelled');
        break;
      default:
        break;
    }
  }

  /** The trees as they stand: new objects each time, so a caller may keep one while the fold goes on. */
  tree(): TeamTask[] {
    const nodes = new Map<string, TeamTask>();
    for (const [id, task] of this.tasks) nodes.set(id, { ...task, usage: { ...task.usage }, children: [] });
    const roots: TeamTask[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }

  private endRunning(error: string): void {
    for (const task of this.tasks.values()) if (task.status === 'running') fail(task, error);
  }
}

function fail(task: TaskRecord, error: string): void {
  task.status = 'failed';
  task.error = error;
}

/** A task's id across the run: its team's scope and its id within the team. */
function taskKey(scope: string, taskId: string): string {
  return `${scope}/${taskId}`;
}

function addUsage(usage: Usage, added: { inputTokens: number; outputTokens: number; costUsd: number }): Usage {
  return {
    inputTokens: usage.inputTokens + added.inputTokens,
    outputTokens: usage.outputTokens + added.outputTokens,
    costUsd: usage.costUsd + added.costUsd,
  };
}

/**
 * What a memory synthesized from a team's work keeps of the team (in its metadata, under `team`): the
 * execution and its task tree, flat with parents by task id, so the Memory page can say where it came from.
 */
export const TeamMemoryProvenanceSchema = z.object({
  nodeId: z.string(),
  scope: z.string(),
  tasks: z.array(
    z.object({
      taskId: z.string(),
      parentId: z.string().nullable(),
      role: z.string(),
      task: z.string(),
      status: z.enum(['running', 'completed', 'failed']),
    }),
  ),
});
export type TeamMemoryProvenance = z.infer<typeof TeamMemoryProvenanceSchema>;
