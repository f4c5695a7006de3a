import { useMemo, useState } from 'react';
import { pendingBreakpoint, type ContinueAction, type PendingBreakpoint } from '@shared/breakpoints';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { ErrorMessage } from '../../../ui/components';
import { describePause } from '../../builder/run/DebuggerBar';
import '../../builder/run/debugger.css';
import { useWarRoom, useWarRoomActions } from './war-room-store';

/**
 * A run paused at a breakpoint, in the war room — also one paused before the app restarted: where it
 * waits, its pending input or tool arguments to edit, and Step / Continue / Stop (Resume alone would
 * only pause again at the same breakpoint).
 */
export function BreakpointControls(props: { runId: string; onChanged(): void }) {
  const room = useWarRoomActions();
  const status = useWarRoom((state) => state.status);
  const eventCount = useWarRoom((state) => state.eventCount);
  // Read from the folded events only while paused: a paused run streams nothing, so this runs rarely.
  const breakpoint = useMemo(
    () => (status === 'paused' ? pendingBreakpoint(room.recentEvents(eventCount)) : null),
    // eventCount: each new event may open or answer a breakpoint.
    [room, status, eventCount],
  );
  if (!breakpoint) return null;
  return (
    <PausedAt
      key={`${breakpoint.key}@${breakpoint.seq}`}
      runId={props.runId}
      breakpoint={breakpoint}
      onChanged={props.onChanged}
    />
  );
}

function PausedAt(props: { runId: string; breakpoint: PendingBreakpoint; onChanged(): void }) {
  const { runId, breakpoint } = props;
  const original = JSON.stringify(breakpoint.pending, null, 2) ?? 'null';
  const [draft, setDraft] = useState(original);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      props.onChanged();
    } catch (cause) {
      setProblem(describeError(cause));
    } finally {
      setBusy(false);
    }
  };

  const go = (action: ContinueAction) => {
    let input: unknown;
    // Unchanged text sends no input: the node runs with what it had, exactly.
    if (draft.trim() !== original.trim()) {
      try {
        input = JSON.parse(draft) as unknown;
      } catch (cause) {
        setProblem(`not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
        return;
      }
    }
    void act(() => api.runs.continue({ runId, action, ...(input === undefined ? {} : { input }) }));
  };

  return (
    <section className="debugger-bar" aria-label="Breakpoint" data-testid="war-breakpoint">
      <div className="debugger-head">
        <span className="breakpoint-dot" aria-hidden="true" />
        <strong data-testid="war-breakpoint-where">{describePause(breakpoint)}</strong>
        <span className="debugger-actions">
          <button type="button" className="button small" disabled={busy} onClick={() => go('step')}>
            Step
          </button>
          <button type="button" className="button small primary" disabled={busy} onClick={() => go('continue')}>
            Continue
          </button>
          <button
            type="button"
            className="button small danger"
            disabled={busy}
            onClick={() => void act(() => api.runs.cancel({ runId }))}
          >
            Stop
          </button>
        </span>
      </div>
      <label className="debugger-pending">
        <span className="field-label">
          {breakpoint.kind === 'tool'
            ? 'Tool call arguments (edit before it runs)'
            : 'Pending input (edit before it runs)'}
        </span>
        <textarea
          className="code-editor"
          rows={Math.min(10, Math.max(3, draft.split('\n').length))}
          spellCheck={false}
          value={draft}
          data-testid="war-breakpoint-pending"
          onChange={(event) => setDraft(event.target.value)}
        />
      </label>
      <ErrorMessage error={problem} />
    </section>
  );
}
