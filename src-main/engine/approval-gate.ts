import type { ApprovalDecision, RunMode } from '@shared/runs';
import { abortError, ReplayDivergedError } from './errors';
import type { RunEventLog } from './event-log';

export interface ApprovalGateDeps {
  log: RunEventLog;
  mode: RunMode;
  /** Decisions recorded by earlier passes (or the run a replay follows), by scope. */
  decisions: Map<string, ApprovalDecision>;
  /** Where the engine finds a waiting node when a human decides; shared with the engine for this pass. */
  waiting: Map<string, (decision: ApprovalDecision) => void>;
  /** Marks the run waiting while any node waits, and running again when none does. */
  setWaiting(waiting: boolean, nodeId: string): void;
}

/** Pauses nodes for a human decision, or answers at once with a decision an earlier pass recorded. */
export class ApprovalGate {
  private pending = 0;

  constructor(private readonly deps: ApprovalGateDeps) {}

  await(
    nodeId: string,
    scope: string,
    payload: unknown,
    prompt: string,
    signal: AbortSignal,
  ): Promise<ApprovalDecision> {
    const { log, decisions, waiting } = this.deps;
    const recorded = decisions.get(scope);
    if (recorded) return Promise.resolve(recorded);
    if (this.deps.mode === 'replay') return Promise.reject(new ReplayDivergedError(`the approval of ${scope}`));
    log.append('approval.requested', nodeId, { scope, payload, prompt });
    this.pending++;
    log.flush();
    this.deps.setWaiting(true, nodeId);
    return new Promise<ApprovalDecision>((resolve, reject) => {
      const settle = () => {
        waiting.delete(nodeId);
        signal.removeEventListener('abort', onAbort);
        this.pending--;
        if (this.pending === 0) this.deps.setWaiting(false, nodeId);
      };
      const onAbort = () => {
        settle();
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      waiting.set(nodeId, (decision) => {
        log.append('approval.decided', nodeId, { scope, ...decision });
        decisions.set(scope, decision);
        settle();
        resolve(decision);
      });
    });
  }
}
