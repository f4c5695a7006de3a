import type { TeamTask } from '@shared/team-tasks';
import { MessageBoard } from '../../builder/run/MessageBoard';
import { TaskTree } from '../../builder/run/TaskTree';
import { describeCounts, memberNodeId } from '../../builder/run/team-run-view';
import { VoteTally } from '../../builder/run/VoteTally';
import { useWarRoom, useWarRoomActions } from './war-room-store';

/** Every team of the run, live: its task tree, its message board (mesh), its tally (vote). */
export function WarRoomTeams() {
  const teams = useWarRoom((state) => state.teams);
  const ids = Object.keys(teams);
  if (ids.length === 0) return <p className="muted small">This run has no team.</p>;
  return ids.map((id) => <TeamSection key={id} teamNodeId={id} />);
}

function TeamSection({ teamNodeId }: { teamNodeId: string }) {
  const team = useWarRoom((state) => state.teams[teamNodeId]);
  const selectedLaneId = useWarRoom((state) => state.selectedLaneId);
  const room = useWarRoomActions();
  if (!team) return null;
  const hasBoard = team.board.length + team.agreements.length + team.rounds.length > 0;
  const hasVote = team.votes.length + team.abstentions.length > 0 || team.decision !== null;
  const selectedTaskId =
    findTask(team.tasks, (task) => memberNodeId(task.teamNodeId, task.taskId) === selectedLaneId)?.id ?? null;
  return (
    <section className="team-view war-team" aria-label={`Team ${teamNodeId}`}>
      <h3 className="run-section">
        {teamNodeId}{' '}
        <span className="muted small" data-testid="team-counts">
          {describeCounts(team.counts) || 'no members yet'}
        </span>
      </h3>
      {hasBoard ? (
        <>
          <h4 className="run-section">Message board</h4>
          <MessageBoard board={team.board} agreements={team.agreements} rounds={team.rounds} />
        </>
      ) : null}
      {hasVote ? (
        <>
          <h4 className="run-section">Tally</h4>
          <VoteTally votes={team.votes} abstentions={team.abstentions} decision={team.decision} />
        </>
      ) : null}
      <h4 className="run-section">Task tree</h4>
      <TaskTree
        tasks={team.tasks}
        selectedTaskId={selectedTaskId}
        onSelect={(task) => room.store.setState({ selectedLaneId: memberNodeId(task.teamNodeId, task.taskId) })}
      />
    </section>
  );
}

function findTask(tasks: readonly TeamTask[], matches: (task: TeamTask) => boolean): TeamTask | undefined {
  for (const task of tasks) {
    if (matches(task)) return task;
    const found = findTask(task.children, matches);
    if (found) return found;
  }
  return undefined;
}
