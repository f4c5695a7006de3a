import { useState } from 'react';
import type { ApprovalDecision } from '@shared/runs';

/**
 * A node waiting for a human: approve, approve an edited payload, or reject. One form for the canvas run panel
 * and the war room, so a decision is made (and its payload checked) the same way in both.
 */
export function ApprovalForm(props: {
  prompt: string;
  payload: unknown;
  /** Names the node in the heading and the form's label, where several approvals can stand together. */
  nodeId?: string;
  /** Also asks for a reason to send with a rejection. */
  askReason?: boolean;
  payloadRows: number;
  decide(decision: ApprovalDecision): Promise<void>;
}) {
  const [draft, setDraft] = useState(() => JSON.stringify(props.payload, null, 2) ?? '');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const trimmedReason = reason.trim();
  return (
    <div
      className="approval"
      data-testid="approval"
      aria-label={props.nodeId === undefined ? undefined : `Approval of ${props.nodeId}`}
    >
      <p>
        {props.nodeId === undefined ? (
          <strong>{props.prompt}</strong>
        ) : (
          <>
            <strong>{props.nodeId}</strong>: {props.prompt}
          </>
        )}
      </p>
      <textarea
        className="code-editor"
        rows={props.payloadRows}
        aria-label="Payload (JSON)"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
      />
      {problem ? <span className="field-error">{problem}</span> : null}
      {props.askReason ? (
        <input
          aria-label="Reason for rejecting"
          placeholder="Reason (when rejecting)"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      ) : null}
      <div className="modal-actions">
        <button type="button" className="button primary" onClick={() => void props.decide({ decision: 'approve' })}>
          Approve
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            try {
              void props.decide({ decision: 'edit', payload: JSON.parse(draft) as unknown });
            } catch (cause) {
              setProblem(`not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
            }
          }}
        >
          Approve with edits
        </button>
        <button
          type="button"
          className="button danger"
          onClick={() => void props.decide({ decision: 'reject', ...(trimmedReason ? { reason: trimmedReason } : {}) })}
        >
          Reject
        </button>
      </div>
    </div>
  );
}
