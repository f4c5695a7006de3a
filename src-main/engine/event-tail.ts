import type { RunEvent } from '@shared/run-events';

const DEFAULT_CAPACITY = 20_000;

/**
 * The latest events of a live run, kept in memory so followers in this process get what the log just
 * wrote without reading it back from SQLite after every batch. Bounded: a follower that falls further
 * behind than the tail reads the database instead. Only persisted events enter it.
 */
export class RunEventTail {
  private events: RunEvent[] = [];

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  push(events: readonly RunEvent[]): void {
    for (const event of events) this.events.push(event);
    // Dropping half at once keeps the cost per event constant instead of shifting the array each time.
    // Seqs in the tail are consecutive (one writer per run), so `after` finds a seq by arithmetic.
    if (this.events.length > this.capacity) this.events = this.events.slice(-Math.ceil(this.capacity / 2));
  }

  /** The events after `seq`, or null when the tail no longer reaches back that far (read the database). */
  after(seq: number): RunEvent[] | null {
    const first = this.events[0];
    if (!first || seq < first.seq - 1) return null;
    const last = this.events.at(-1) ?? first;
    if (seq >= last.seq) return [];
    return this.events.slice(seq - first.seq + 1);
  }
}
