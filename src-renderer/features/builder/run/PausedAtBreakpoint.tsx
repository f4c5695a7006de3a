import { useState } from 'react';
import type { ContinueAction, PendingBreakpoint } from '@shared/breakpoints';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { ErrorMessage } from '../../../ui/components';
import './debugger.css';

function describePause(breakpoint: PendingBreakpoint): string {
  const node = breakpoint.nodeId ?? 'the run';
  const where =
    breakpoint.kind === 'node'
      ? `before ${node} runs`
      : breakpoint.kind === 'loop'
        ? `before iteration ${breakpoint.iteration ?? '?'} of ${node}`
        : `before ${node} calls ${breakpoint.tool?.name ?? 'a tool'}`;
  return `Paused ${where}${breakpoint.cause === 'step' ? ' (step)' : ''}`;
}

/**
 * A run paused at a breakpoint — on the canvas and in the war room alike: where it waits, its pending input
 * or tool arguments to edit, and Step / Continue / Stop. `onActed` runs after the API took the action.
 */
export function PausedAtBreakpoint(props: {
  runId: string;
  breakpoint: PendingBreakpoint;
  label: string;
  /** Test ids: the section's, and the prefix of its parts' (`<parts>-where`, `<parts>-pending`). */
  testIds: { section: string; parts: string };
  onActed(): void;
}) {
  const { runId, breakpoint, testIds } = props;
  const original = JSON.stringify(breakpoint.pending, null, 2) ?? 'null';
  const [draft, setDraft] = useState(original);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      props.onActed();
    } catch (cause) {
      setProblem(describeError(cause));
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
    <section className="debugger-bar" aria-label={props.label} data-testid={testIds.section}>
      <div className="debugger-head">
        <span className="breakpoint-dot" aria-hidden="true" />
        <strong data-testid={`${testIds.parts}-where`}>{describePause(breakpoint)}</strong>
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
          data-testid={`${testIds.parts}-pending`}
          onChange={(event) => setDraft(event.target.value)}
        />
      </label>
      <ErrorMessage error={problem} />
    </section>
  );
}
