import { useState } from 'react';
import type { ContinueAction, PendingBreakpoint } from '@shared/breakpoints';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { ErrorMessage } from '../../../ui/components';
import { isRunActive, keepFollowing, useRunView } from './canvas-run';
import './debugger.css';

/** While the run on the canvas is paused at a breakpoint: what it waits on, editable, and Step / Continue / Stop. */
export function DebuggerBar() {
  const runId = useRunView((state) => state.runId);
  const status = useRunView((state) => state.status);
  const breakpoint = useRunView((state) => state.breakpoint);
  if (!runId || !breakpoint || !isRunActive(status)) return null;
  return <PausedAt key={`${breakpoint.key}@${breakpoint.seq}`} runId={runId} breakpoint={breakpoint} />;
}

export function describePause(breakpoint: PendingBreakpoint): string {
  const node = breakpoint.nodeId ?? 'the run';
  const where =
    breakpoint.kind === 'node'
      ? `before ${node} runs`
      : breakpoint.kind === 'loop'
        ? `before iteration ${breakpoint.iteration ?? '?'} of ${node}`
        : `before ${node} calls ${breakpoint.tool?.name ?? 'a tool'}`;
  return `Paused ${where}${breakpoint.cause === 'step' ? ' (step)' : ''}`;
}

function PausedAt({ runId, breakpoint }: { runId: string; breakpoint: PendingBreakpoint }) {
  const original = JSON.stringify(breakpoint.pending, null, 2) ?? 'null';
  const [draft, setDraft] = useState(original);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      keepFollowing(runId);
    } catch (cause) {
      setProblem(describeError(cause));
      setBusy(false);
    }
  };

  const go = (action: ContinueAction) => {
    let input: unknown;
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
    <section className="debugger-bar" aria-label="Debugger" data-testid="debugger-bar">
      <div className="debugger-head">
        <span className="breakpoint-dot" aria-hidden="true" />
        <strong data-testid="debugger-where">{describePause(breakpoint)}</strong>
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
          data-testid="debugger-pending"
          onChange={(event) => setDraft(event.target.value)}
        />
      </label>
      <ErrorMessage error={problem} />
    </section>
  );
}
