import { isRunActive, keepFollowing, useRunView } from './canvas-run';
import { PausedAtBreakpoint } from './PausedAtBreakpoint';

/** While the run on the canvas is paused at a breakpoint: what it waits on, editable, and Step / Continue / Stop. */
export function DebuggerBar() {
  const runId = useRunView((state) => state.runId);
  const status = useRunView((state) => state.status);
  const breakpoint = useRunView((state) => state.breakpoint);
  if (!runId || !breakpoint || !isRunActive(status)) return null;
  return (
    <PausedAtBreakpoint
      key={`${breakpoint.key}@${breakpoint.seq}`}
      runId={runId}
      breakpoint={breakpoint}
      label="Debugger"
      testIds={{ section: 'debugger-bar', parts: 'debugger' }}
      onActed={() => keepFollowing(runId)}
    />
  );
}
