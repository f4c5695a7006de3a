import { useRunView } from './canvas-run';
import { describeCounts } from './team-run-view';
import './team-run.css';

/**
 * How many of a team's members are working, done or failed, on its canvas node. It selects one string, so
 * members streaming re-render it only when a member changes state.
 */
export function TeamMemberCounts({ teamNodeId }: { teamNodeId: string }) {
  const counts = useRunView((state) => {
    const team = state.teams[teamNodeId];
    return team ? describeCounts(team.counts) : '';
  });
  if (!counts) return null;
  return (
    <div className="canvas-node-team muted" data-testid={`team-members-${teamNodeId}`}>
      {counts}
    </div>
  );
}
