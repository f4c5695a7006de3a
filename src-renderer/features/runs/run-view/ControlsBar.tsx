import { useState } from 'react';
import { RUN_LANE_ID } from '@shared/run-timeline';
import { TERMINAL_RUN_STATUSES, type Run } from '@shared/runs';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { useNavigation } from '../../../stores/navigation';
import { ErrorMessage } from '../../../ui/components';
import { ExportRunButtons } from '../export/ExportRunButtons';
import { ApprovalForm } from './ApprovalForm';
import { BreakpointControls, usePendingBreakpoint } from './BreakpointControls';
import { useWarRoom } from './war-room-store';

/** The run's state and every control over it: cancel, approve/reject/edit, resume, replay, fork, export. */
export function ControlsBar(props: { run: Run; onChanged(): void; onFork(nodeId: string): void }) {
  const { run } = props;
  const status = useWarRoom((state) => state.status) ?? run.status;
  const breakpoint = usePendingBreakpoint();
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

  /** A button for a command on the run; `thenShow` opens the run the command starts. */
  const runCommand = (
    label: string,
    call: (runId: string) => Promise<Run>,
    options: { danger?: boolean; title?: string; thenShow?: boolean } = {},
  ) => (
    <button
      type="button"
      className={options.danger ? 'button small danger' : 'button small'}
      title={options.title}
      onClick={() => void act(() => call(run.id), options.thenShow)}
    >
      {label}
    </button>
  );

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
        {active ? runCommand('Cancel', (runId) => api.runs.cancel({ runId }), { danger: true }) : null}
        {/* At a breakpoint, Resume would only pause there again: its own controls (Continue, Step) go on. */}
        {status === 'paused' && !breakpoint ? runCommand('Resume', (runId) => api.runs.resume({ runId })) : null}
        {!active
          ? runCommand('Replay', (runId) => api.runs.replay({ runId }), {
              title: 'Re-run with the recorded model and tool results: no API calls',
              thenShow: true,
            })
          : null}
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
      <BreakpointControls runId={run.id} breakpoint={breakpoint} onChanged={props.onChanged} />
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
