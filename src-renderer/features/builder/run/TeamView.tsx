import { useState } from 'react';
import type { TeamTopology } from '@shared/node-kinds';
import type { TeamTask } from '@shared/team-tasks';
import { ErrorMessage } from '../../../ui/components';
import { useRunView } from './canvas-run';
import { MessageBoard } from './MessageBoard';
import { TaskTree } from './TaskTree';
import { describeCounts, memberNodeId } from './team-run-view';
import { Transcript } from './Transcript';
import { VoteTally } from './VoteTally';
import './team-run.css';

/** A team node's run, live: what its topology produced (tree, board or tally), and one member's work. */
export function TeamView({ teamNodeId, topology }: { teamNodeId: string; topology: TeamTopology | undefined }) {
  const team = useRunView((state) => state.teams[teamNodeId]);
  const [selectedTaskId, setSelectedTaskId] = useState<string | null>(null);
  if (!team) return <p className="muted small">No member has started yet.</p>;
  const selected = selectedTaskId === null ? undefined : findTask(team.tasks, selectedTaskId);
  const scratchpad = Object.entries(team.scratchpad);

  return (
    <section className="team-view" aria-label="Team">
      <p className="small" data-testid="team-counts">
        {describeCounts(team.counts) || 'no members yet'}
      </p>
      {topology === 'mesh' ? (
        <>
          <h3 className="run-section">Message board</h3>
          <MessageBoard board={team.board} agreements={team.agreements} rounds={team.rounds} />
        </>
      ) : null}
      {topology === 'vote' ? (
        <>
          <h3 className="run-section">Tally</h3>
          <VoteTally votes={team.votes} abstentions={team.abstentions} decision={team.decision} />
        </>
      ) : null}
      <h3 className="run-section">{topology === 'hierarchical' ? 'Task tree' : 'Members'}</h3>
      <TaskTree
        tasks={team.tasks}
        selectedTaskId={selected?.id ?? null}
        onSelect={(task) => setSelectedTaskId(task.id === selectedTaskId ? null : task.id)}
      />
      {scratchpad.length > 0 ? (
        <>
          <h3 className="run-section">Scratchpad</h3>
          <dl className="team-scratchpad">
            {scratchpad.map(([key, entry]) => (
              <div key={key}>
                <dt>
                  {key} <span className="muted small">by {entry.by}</span>
                </dt>
                <dd>{entry.value}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
      {selected ? <MemberWork task={selected} /> : null}
    </section>
  );
}

/** One member's own transcript (its text, tool calls and results), then its answer or its error. */
function MemberWork({ task }: { task: TeamTask }) {
  const view = useRunView((state) => state.members[memberNodeId(task.teamNodeId, task.taskId)]);
  return (
    <section aria-label={`Member ${task.taskId}`}>
      <h3 className="run-section">
        Task {task.taskId} · {task.role} · {task.status === 'running' ? 'working' : task.status}
      </h3>
      <p className="muted small">{task.task}</p>
      <div className="transcript" data-testid="member-transcript">
        {view && view.transcript.length > 0 ? (
          <Transcript entries={view.transcript} />
        ) : (
          <p className="muted small">No output yet.</p>
        )}
        {task.error ? <ErrorMessage error={task.error} /> : null}
        {task.result && !view?.transcript.length ? <pre className="run-output">{task.result}</pre> : null}
      </div>
    </section>
  );
}

function findTask(tasks: readonly TeamTask[], id: string): TeamTask | undefined {
  for (const task of tasks) {
    if (task.id === id) return task;
    const found = findTask(task.children, id);
    if (found) return found;
  }
  return undefined;
}
