import { useState } from 'react';
import { RUN_LANE_ID } from '@shared/run-timeline';
import { TERMINAL_RUN_STATUSES, type Run } from '@shared/runs';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { useNavigation } from '../../../stores/navigation';
import { ErrorMessage } from '../../../ui/components';
import { ExportRunButtons } from '../export/ExportRunButtons';
import { ApprovalForm } from './ApprovalForm';
import { BreakpointControls } from './BreakpointControls';
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
        <ApprovalForm
          key={nodeId}
          nodeId={nodeId}
          prompt={approval.prompt}
          payload={approval.payload}
          payloadRows={4}
          askReason
          decide={(decision) => act(() => api.runs.approve({ runId: run.id, nodeId, decision }))}
        />
      ))}
    </div>
  );
}
