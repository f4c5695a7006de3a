import type { RunEvent } from '@shared/run-events';
import { foldTaskTree, type TeamTask, type TeamTaskStatus } from '@shared/team-tasks';

const STATUS_MARK: Record<TeamTaskStatus, string> = { running: '…', completed: '✓', failed: '✗' };

/** `warroom runs tasks`: the run's team task trees, as JSON (the `runs.tasks` answer) or an indented tree. */
export function tasksReport(events: readonly RunEvent[], json: boolean): string {
  const tasks = foldTaskTree(events);
  return json ? JSON.stringify(tasks, null, 2) : formatTaskTree(tasks);
}

export function formatTaskTree(tasks: readonly TeamTask[]): string {
  if (tasks.length === 0) return 'no team tasks in this run';
  const lines: string[] = [];
  let team: string | null = null;
  for (const root of tasks) {
    if (root.teamScope !== team) {
      team = root.teamScope;
      lines.push(`team ${root.teamNodeId} (${root.teamScope})`);
    }
    appendTask(lines, root, 1);
  }
  return lines.join('\n');
}

function appendTask(lines: string[], task: TeamTask, depth: number): void {
  const pad = '  '.repeat(depth);
  const { inputTokens, outputTokens, costUsd } = task.usage;
  lines.push(
    `${pad}${STATUS_MARK[task.status]} ${task.taskId} ${task.role} — ${task.status}, $${costUsd.toFixed(4)} (${inputTokens} in + ${outputTokens} out tokens) — ${firstLine(task.task)}`,
  );
  if (task.error) lines.push(`${pad}    error: ${firstLine(task.error)}`);
  for (const child of task.children) appendTask(lines, child, depth + 1);
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 80 || line.length < text.length ? `${line.slice(0, 79)}…` : line;
}
