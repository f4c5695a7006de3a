let lastAt = '';
let lastMs = Number.NaN;

/**
 * An event's time in milliseconds. The log stamps every event of one write with the same `at`, so a
 * fold over thousands of events parses each distinct time once: the last one parsed is kept.
 */
export function eventTimeMs(at: string): number {
  if (at !== lastAt) {
    lastMs = Date.parse(at);
    lastAt = at;
  }
  return lastMs;
}
