import { LlmUnavailableError } from './port';

/**
 * How long a model endpoint may stay silent (no response headers, no stream event) before a call gives
 * up on it. An idle limit rather than a total one: a long answer that keeps streaming is never cut.
 */
export const DEFAULT_MODEL_IDLE_TIMEOUT_MS = 5 * 60_000;

/** The endpoint accepted the call and then sent nothing for longer than the idle timeout. */
export class LlmTimeoutError extends LlmUnavailableError {
  constructor(endpoint: string, idleMs: number, attempts: number) {
    super(
      `${endpoint} sent nothing for ${formatSeconds(idleMs)} (the model request timeout)` +
        (attempts > 1 ? `, ${attempts} attempts` : ''),
    );
    this.name = 'LlmTimeoutError';
  }
}

export interface IdleDeadline {
  /** Aborts when the caller's signal does, or when the endpoint has been silent too long. */
  readonly signal: AbortSignal;
  /** Call on every sign of life from the endpoint; restarts the wait. */
  touch(): void;
  readonly timedOut: boolean;
  /** Stops the timer; call when the attempt is over, whatever its outcome. */
  dispose(): void;
}

/** Starts the idle wait of one attempt of a model call. */
export function startIdleDeadline(idleMs: number, callerSignal?: AbortSignal): IdleDeadline {
  const silence = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      silence.abort(new Error(`no answer for ${formatSeconds(idleMs)}`));
    }, idleMs);
  };
  arm();
  return {
    signal: callerSignal ? AbortSignal.any([callerSignal, silence.signal]) : silence.signal,
    touch: () => {
      if (!timedOut) arm();
    },
    get timedOut() {
      return timedOut;
    },
    dispose: () => clearTimeout(timer),
  };
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
