import { useState } from 'react';
import { RUN_LANE_ID } from '@shared/run-timeline';
import { TERMINAL_RUN_STATUSES, type ApprovalDecision, type Run } from '@shared/runs';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { useNavigation } from '../../../stores/navigation';
import { ErrorMessage } from '../../../ui/components';
import { ExportRunButtons } from '../export/ExportRunButtons';
import { BreakpointControls } from './BreakpointControls';
import type { PendingApproval } from './war-room-fold';
import { useWarRoom } from './war-room-store';

/** The run's state and every control over it: cancel, approve/reject/edit, resume, replay, fork, export. */
export function ControlsBar(props: { run: Run; onChanged(): void; onFork(nodeId: string): void }) {
  const { run } = props;
  const status = useWarRoom((state) => state.status) ?? run.status;
  const approvals = useWarRoom((state) => state.approvals);
  const selectedLane = useWarRoom((state) =>
    state.selectedLaneId ? state.timeline.lanes[state.selectedLaneId] : undefined,
  );
  const pauseReason = useWarRoom((state) => state.pauseReason);
  const runError = useWarRoom((state) => state.error);
  const eventCount = useWarRoom((state) => state.eventCount);
  const go = useNavigation((state) => state.go);
  const [error, setError] = useState<string | null>(null);
  const active = !TERMINAL_RUN_STATUSES.includes(status);
  const forkNode =
    !active && selectedLane && selectedLane.depth === 0 && selectedLane.id !== RUN_LANE_ID ? selectedLane.id : null;

  const act = async (action: () => Promise<Run>, thenShow = false) => {
    setError(null);
    try {
      const next = await action();
      props.onChanged();
      if (thenShow) go('runs', next.id);
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  return (
    <div className="war-controls">
      <div className="run-header">
        <span className={`run-status run-status-${status}`} data-testid="run-detail-status">
          {status}
        </span>
        <strong>{run.workflowName}</strong>
        {run.mode !== 'normal' ? <span className="muted small">{run.mode}</span> : null}
        <span className="muted small" data-testid="war-room-event-count">
          {eventCount} events
        </span>
        <button type="button" className="button small" onClick={() => go('builder', run.workflowId)}>
          Open workflow
        </button>
        {active ? (
          <button
            type="button"
            className="button small danger"
            onClick={() => void act(() => api.runs.cancel({ runId: run.id }))}
          >
            Cancel
          </button>
        ) : null}
        {status === 'paused' ? (
          <button
            type="button"
            className="button small"
            onClick={() => void act(() => api.runs.resume({ runId: run.id }))}
          >
            Resume
          </button>
        ) : null}
        {!active ? (
          <button
            type="button"
            className="button small"
            title="Re-run with the recorded model and tool results: no API calls"
            onClick={() => void act(() => api.runs.replay({ runId: run.id }), true)}
          >
            Replay
          </button>
        ) : null}
        <button
          type="button"
          className="button small"
          disabled={forkNode === null}
          title={
            forkNode
              ? `Edit the input of ${forkNode} and run again from it`
              : 'Select a node’s lane of a finished run to fork from it'
          }
          onClick={() => forkNode && props.onFork(forkNode)}
        >
          Fork{forkNode ? ` from ${forkNode}` : ''}…
        </button>
        <ExportRunButtons runId={run.id} />
      </div>
      <ErrorMessage error={error} />
      {status === 'paused' && pauseReason ? <p className="muted small">Paused: {pauseReason}</p> : null}
      <BreakpointControls runId={run.id} onChanged={props.onChanged} />
      {runError ? <ErrorMessage error={runError} /> : null}
      {Object.entries(approvals).map(([nodeId, approval]) => (
        <ApprovalRequest
          key={nodeId}
          nodeId={nodeId}
          approval={approval}
          decide={(decision) => act(() => api.runs.approve({ runId: run.id, nodeId, decision }))}
        />
      ))}
    </div>
  );
}

/** A node waiting for a human: approve, reject (with a reason), or approve an edited payload. */
function ApprovalRequest(props: {
  nodeId: string;
  approval: PendingApproval;
  decide(decision: ApprovalDecision): Promise<void>;
}) {
  const [draft, setDraft] = useState(() => JSON.stringify(props.approval.payload, null, 2) ?? '');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div className="approval" data-testid="approval" aria-label={`Approval of ${props.nodeId}`}>
      <p>
        <strong>{props.nodeId}</strong>: {props.approval.prompt}
      </p>
      <textarea
        className="code-editor"
        rows={4}
        aria-label="Payload (JSON)"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
      />
      {problem ? <span className="field-error">{problem}</span> : null}
      <input
        aria-label="Reason for rejecting"
        placeholder="Reason (when rejecting)"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
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
          onClick={() => void props.decide({ decision: 'reject', ...(reason.trim() ? { reason: reason.trim() } : {}) })}
        >
          Reject
        </button>
      </div>
    </div>
  );
}
