import type { TeamTask } from '@shared/team-tasks';
import './team-run.css';

const STATUS_LABELS: Record<TeamTask['status'], string> = {
  running: 'working',
  completed: 'done',
  failed: 'failed',
};

/** A team's tasks, each delegation under the task that made it; choosing one shows that member's work. */
export function TaskTree(props: {
  tasks: readonly TeamTask[];
  selectedTaskId: string | null;
  onSelect(task: TeamTask): void;
}) {
  if (props.tasks.length === 0) return <p className="muted small">No member has started yet.</p>;
  return (
    <ul className="task-tree" data-testid="task-tree" aria-label="Task tree">
      {props.tasks.map((task) => (
        <TaskBranch key={task.id} task={task} {...props} />
      ))}
    </ul>
  );
}

function TaskBranch(props: { task: TeamTask; selectedTaskId: string | null; onSelect(task: TeamTask): void }) {
  const { task } = props;
  const tokens = task.usage.inputTokens + task.usage.outputTokens;
  return (
    <li>
      <button
        type="button"
        className={`task-row${props.selectedTaskId === task.id ? ' task-row-selected' : ''}`}
        data-testid={`task-${task.taskId}`}
        data-status={task.status}
        title={task.error ?? task.result ?? task.task}
        onClick={() => props.onSelect(task)}
      >
        <span className={`run-dot run-dot-${task.status}`} aria-hidden="true" />
        <span className="task-role">
          {task.role} <span className="task-id muted">{task.taskId}</span>
        </span>
        <span className={`task-status task-status-${task.status}`}>{STATUS_LABELS[task.status]}</span>
        <span className="task-cost muted">
          {tokens > 0 ? `${tokens} tok · ` : ''}${task.usage.costUsd.toFixed(4)}
        </span>
        <span className="task-text muted">{task.task}</span>
      </button>
      {task.children.length > 0 ? (
        <ul>
          {task.children.map((child) => (
            <TaskBranch key={child.id} {...props} task={child} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
