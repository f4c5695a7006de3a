import { foldTaskTree, type TeamMemoryProvenance, type TeamTask } from '@shared/team-tasks';
import type { RunEvent } from '@shared/run-events';

/** One task of a team's tree as synthesized memories keep it for provenance (flat, parents by id). */
export type LearningTask = TeamMemoryProvenance['tasks'][number];

/** What one execution of a team found: its task tree and the notes its members stored in team memory. */
export interface TeamLearning {
  teamNodeId: string;
  teamScope: string;
  tasks: LearningTask[];
  findings: Array<{ taskId: string; role: string; kind: string; text: string }>;
}

const MAX_TASKS = 100;
const MAX_TASK_CHARS = 300;

/**
 * The teams of a run that stored findings in their team memory (memory_store calls of their members that
 * succeeded), read from the run's events, so a resumed or replayed run sees the same learnings.
 */
export function teamLearnings(events: readonly RunEvent[]): TeamLearning[] {
  const tasksByScope = new Map<string, TeamTask[]>();
  const byId = new Map<string, TeamTask>();
  const visit = (task: TeamTask) => {
    byId.set(task.id, task);
    const list = tasksByScope.get(task.teamScope) ?? [];
    list.push(task);
    tasksByScope.set(task.teamScope, list);
    task.children.forEach(visit);
  };
  foldTaskTree(events).forEach(visit);

  const succeeded = new Set<string>();
  for (const event of events) {
    if (event.type === 'tool.result' && event.data.name === 'memory_store' && !event.data.isError) {
      succeeded.add(`${event.data.scope}\n${event.data.id ?? ''}`);
    }
  }
  const findings = new Map<string, TeamLearning['findings']>();
  for (const event of events) {
    if (event.type !== 'tool.call' || event.data.name !== 'memory_store') continue;
    const member = byId.get(event.data.scope);
    if (!member || !succeeded.has(`${event.data.scope}\n${event.data.id ?? ''}`)) continue;
    const input = (event.data.input ?? {}) as { text?: unknown; kind?: unknown };
    if (typeof input.text !== 'string' || input.text.trim() === '') continue;
    const list = findings.get(member.teamScope) ?? [];
    list.push({
      taskId: member.taskId,
      role: member.role,
      kind: typeof input.kind === 'string' ? input.kind : 'note',
      text: input.text,
    });
    findings.set(member.teamScope, list);
  }

  return [...findings].map(([teamScope, found]) => {
    const tasks = tasksByScope.get(teamScope) ?? [];
    return {
      teamNodeId: tasks[0]?.teamNodeId ?? '',
      teamScope,
      tasks: tasks.slice(0, MAX_TASKS).map((task) => ({
        taskId: task.taskId,
        parentId: task.parentId === null ? null : (byId.get(task.parentId)?.taskId ?? null),
        role: task.role,
        task: task.task.slice(0, MAX_TASK_CHARS),
        status: task.status,
      })),
      findings: found,
    };
  });
}

/** What synthesis reads of a team: the task tree (who did what for whom) and the members' findings. */
export function teamTranscript(learning: TeamLearning): string {
  const children = new Map<string | null, LearningTask[]>();
  for (const task of learning.tasks) {
    const siblings = children.get(task.parentId) ?? [];
    siblings.push(task);
    children.set(task.parentId, siblings);
  }
  const lines = [`Team ${learning.teamNodeId} — its task tree:`];
  const walk = (parentId: string | null, depth: number) => {
    for (const task of children.get(parentId) ?? []) {
      lines.push(`${'  '.repeat(depth)}- ${task.taskId} [${task.role}] ${task.task} (${task.status})`);
      walk(task.taskId, depth + 1);
    }
  };
  walk(null, 0);
  lines.push('', 'What its members found and stored in team memory:');
  for (const finding of learning.findings) {
    lines.push(`- ${finding.taskId} [${finding.role}] ${finding.kind}: ${finding.text}`);
  }
  return lines.join('\n');
}
