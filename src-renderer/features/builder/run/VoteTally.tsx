import type { Abstention, VoteCast, VoteDecision } from './team-run-view';
import './team-run.css';

/**
 * A vote as it stands: the answers cast so far, then the tally once decided (votes and voters per answer,
 * the winner, the judge's reason), and who abstained.
 */
export function VoteTally(props: {
  votes: readonly VoteCast[];
  abstentions: readonly Abstention[];
  decision: VoteDecision | null;
}) {
  const { votes, abstentions, decision } = props;
  if (votes.length + abstentions.length === 0 && !decision) {
    return <p className="muted small">No votes yet.</p>;
  }
  return (
    <div className="vote-tally" data-testid="vote-tally" aria-label="Vote tally">
      {decision ? (
        <>
          <p className="vote-winner">
            {decision.winner === null ? 'No winner' : 'Winner'} <span className="muted small">({decision.method})</span>
          </p>
          {decision.winner !== null ? <p className="transcript-text">{decision.winner}</p> : null}
          {decision.reason ? <p className="muted small">Reason: {decision.reason}</p> : null}
          <table className="vote-table">
            <thead>
              <tr>
                <th>Answer</th>
                <th>Votes</th>
                <th>Voters</th>
              </tr>
            </thead>
            <tbody>
              {decision.tally.map((entry) => (
                <tr key={entry.answer} className={entry.answer === decision.winner ? 'vote-row-winner' : undefined}>
                  <td>{entry.answer}</td>
                  <td>{entry.votes}</td>
                  <td>{entry.voters.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        votes.map((vote) => (
          <p key={vote.voter} className="board-message">
            <span className="board-route">{vote.voter}</span> {vote.answer}
          </p>
        ))
      )}
      {abstentions.map((abstention) => (
        <p key={abstention.voter} className="muted small">
          {abstention.voter} abstained: {abstention.reason}
        </p>
      ))}
    </div>
  );
}
