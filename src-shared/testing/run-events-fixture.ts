import type { NewRunEvent, RunEvent } from '../run-events';

/** Test support: one run's events as the store returns them, seq-numbered in order, each at its time (ms). */
export function timedEvents(
  timed: ReadonlyArray<readonly [atMs: number, event: NewRunEvent]>,
  runId = 'r',
): RunEvent[] {
  return timed.map(([atMs, event], index) => ({ ...event, runId, seq: index + 1, at: new Date(atMs).toISOString() }));
}

/** Test support: one run's events, the first at `startMs` and each next one `stepMs` later. */
export function spacedEvents(events: readonly NewRunEvent[], startMs: number, stepMs: number, runId = 'r'): RunEvent[] {
  return timedEvents(
    events.map((event, index) => [startMs + index * stepMs, event] as const),
    runId,
  );
}

/** Test support: one model call's figures as `llm.usage` carries them: neutral token counts, the cost at issue. */
export function modelCallUsage(costUsd: number, model = 'm') {
  return { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd, model };
}
