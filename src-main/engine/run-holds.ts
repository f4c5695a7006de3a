import type { RunPatch } from '../store/port';

/** What can hold a running pass: a breakpoint it is paused at, or a node waiting for a human's decision. */
export type HoldKind = 'breakpoint' | 'approval';

/**
 * The run's status while a pass goes on, from what holds it now. Parallel branches can be held at once —
 * one paused at a breakpoint while another waits for approval — so letting one go must not mark the run
 * running while the other still holds it. A breakpoint shows first (the run goes on only when someone
 * continues it), then an approval, else the run is running.
 */
export class RunHolds {
  private readonly reasons = new Map<HoldKind, string>();

  constructor(private readonly setStatus: (patch: RunPatch) => void) {}

  /** Sets (a reason) or clears (null) one kind of hold, and shows the status that results. */
  set(kind: HoldKind, reason: string | null): void {
    if (reason === null) this.reasons.delete(kind);
    else this.reasons.set(kind, reason);
    const paused = this.reasons.get('breakpoint');
    const waiting = this.reasons.get('approval');
    this.setStatus(
      paused !== undefined
        ? { status: 'paused', pauseReason: paused }
        : waiting !== undefined
          ? { status: 'waiting', pauseReason: waiting }
          : { status: 'running', pauseReason: null },
    );
  }
}
