import type { Agreement, BoardMessage, RoundEnd } from './team-run-view';
import './team-run.css';

/** A mesh team's board, round by round: who wrote to whom, who agreed, and how each round ended. */
export function MessageBoard(props: {
  board: readonly BoardMessage[];
  agreements: readonly Agreement[];
  rounds: readonly RoundEnd[];
}) {
  const roundNumbers = [
    ...new Set([...props.board, ...props.agreements, ...props.rounds].map((entry) => entry.round)),
  ].sort((a, b) => a - b);
  if (roundNumbers.length === 0) return <p className="muted small">The board is empty so far.</p>;
  return (
    <div className="message-board" data-testid="message-board" aria-label="Message board">
      {roundNumbers.map((round) => {
        const ended = props.rounds.find((entry) => entry.round === round);
        return (
          <section key={round} className="board-round">
            <h4 className="board-round-title">
              Round {round}
              {ended ? (
                <span className={ended.agreed ? 'board-agreed' : 'muted'}>
                  {ended.agreed ? ' · agreed' : ' · no agreement'}
                </span>
              ) : (
                <span className="muted"> · in progress</span>
              )}
            </h4>
            {props.board
              .filter((message) => message.round === round)
              .map((message, index) => (
                <p key={index} className="board-message">
                  <span className="board-route">
                    {message.from} → {message.to}
                  </span>{' '}
                  {message.text}
                </p>
              ))}
            {props.agreements
              .filter((agreement) => agreement.round === round)
              .map((agreement) => (
                <p key={agreement.member} className="board-agreement small">
                  ✓ {agreement.member} agrees{agreement.reason ? `: ${agreement.reason}` : ''}
                </p>
              ))}
          </section>
        );
      })}
    </div>
  );
}
