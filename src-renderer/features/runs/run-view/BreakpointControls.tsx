import { useMemo } from 'react';
import { pendingBreakpoint, type PendingBreakpoint } from '@shared/breakpoints';
import { PausedAtBreakpoint } from '../../builder/run/PausedAtBreakpoint';
import { useWarRoom, useWarRoomActions } from './war-room-store';

/** The breakpoint the war room's run is paused at, or null (also while it is paused for another reason). */
export function usePendingBreakpoint(): PendingBreakpoint | null {
  const room = useWarRoomActions();
  const status = useWarRoom((state) => state.status);
  const eventCount = useWarRoom((state) => state.eventCount);
  // Read from the folded events only while paused: a paused run streams nothing, so this runs rarely.
  return useMemo(
    () => (status === 'paused' ? pendingBreakpoint(room.recentEvents(eventCount)) : null),
    // eventCount: each new event may open or answer a breakpoint.
    [room, status, eventCount],
  );
}

/**
 * A run paused at a breakpoint, in the war room — also one paused before the app restarted: where it
 * waits, its pending input or tool arguments to edit, and Step / Continue / Stop (Resume alone would
 * only pause again at the same breakpoint).
 */
export function BreakpointControls(props: {
  runId: string;
  /** From usePendingBreakpoint, read once by the controls bar (which also hides Resume by it). */
  breakpoint: PendingBreakpoint | null;
  onChanged(): void;
}) {
  const { breakpoint } = props;
  if (!breakpoint) return null;
  return (
    <PausedAtBreakpoint
      key={`${breakpoint.key}@${breakpoint.seq}`}
      runId={props.runId}
      breakpoint={breakpoint}
      label="Breakpoint"
      testIds={{ section: 'war-breakpoint', parts: 'war-breakpoint' }}
      onActed={props.onChanged}
    />
  );
}
