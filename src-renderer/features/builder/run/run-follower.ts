import type { RunEvent } from '@shared/run-events';

/** Where events come from: the runs API's `events` procedure (a test passes a fake). */
export type RunEventSource = (
  input: { runId: string; afterSeq: number; follow: boolean },
  options: { signal: AbortSignal },
) => Promise<AsyncIterable<RunEvent>>;

export interface RunFollowing {
  stop(): void;
  /** True once the server ended the stream (the run settled, or stopped to wait); false when stopped. */
  ended: Promise<boolean>;
}

const RECONNECT_DELAY_MS = 1000;

/**
 * Reads a run's events after `afterSeq` and, with `follow`, the live ones until the server ends the
 * stream. A dropped connection is opened again after the last event delivered, so the caller sees
 * every event once, in order: the Builder's run view and the Runs page's event log both follow runs
 * through this one loop.
 */
export function followRunEvents(
  source: RunEventSource,
  options: {
    runId: string;
    afterSeq: number;
    follow: boolean;
    onEvent(event: RunEvent): void;
    /** Each failed attempt, before the next one. */
    onError?(cause: unknown): void;
    reconnectDelayMs?: number;
  },
): RunFollowing {
  const controller = new AbortController();
  const { signal } = controller;
  let lastSeq = options.afterSeq;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });

  const ended = (async () => {
    while (!signal.aborted) {
      try {
        const stream = await source({ runId: options.runId, afterSeq: lastSeq, follow: options.follow }, { signal });
        for await (const event of stream) {
          if (signal.aborted) return false;
          if (event.seq <= lastSeq) continue;
          lastSeq = event.seq;
          options.onEvent(event);
        }
        return !signal.aborted;
      } catch (cause) {
        if (signal.aborted) return false;
        options.onError?.(cause);
        await pause(options.reconnectDelayMs ?? RECONNECT_DELAY_MS);
      }
    }
    return false;
  })();

  return { stop: () => controller.abort(), ended };
}
