import { mapStrings } from '@shared/map-strings';
import type { KnownRunEvent, NewRunEvent, RunEventData, RunEventType } from '@shared/run-events';
import type { JournalEntry, RunStore } from '../store/port';

const DELTA_FLUSH_MS = 100;
/**
 * A turn that appends more events than this sends them on before it ends: quick steps (an instant model)
 * can run thousands of nodes in one turn, and the store's writer thread should be saving the first
 * while the engine runs the rest, not receive all of them at the end.
 */
const EVENTS_PER_BATCH = 256;

/**
 * Appends a run's events in order. Events written in one turn of the event loop go to the database in
 * one transaction (a chain of quick nodes costs one write, not dozens); token deltas are coalesced
 * per node for up to 100 ms so a streaming answer is a handful of rows, not one per token.
 */
export class RunEventLog {
  private pending: NewRunEvent[] = [];
  private pendingJournal: JournalEntry[] = [];
  private readonly deltas = new Map<string | null, string>();
  private flushScheduled = false;
  private deltaTimer: NodeJS.Timeout | null = null;
  /** The first write that failed (a full disk, a read-only profile, a lock held too long), if any. */
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    private readonly now: () => Date,
    private readonly onAppended: (events: KnownRunEvent[]) => void,
    /** Told once, when a write fails: the run cannot go on without recording what it does. */
    private readonly onWriteFailed: (error: unknown) => void = () => {},
    /**
     * The redactor's known-values pass, the last line before the database and the live tail: outside
     * text was redacted with the full rules where it entered the run; this catches a held secret that
     * arrives any other way (a model repeating it, a tool's arguments).
     */
    private readonly redactKnown: ((text: string) => string) | null = null,
  ) {}

  /** Why the log could not be written, once a write has failed; the failed batch was not written at all. */
  get writeFailure(): unknown {
    return this.failure?.error;
  }

  append<T extends RunEventType>(type: T, nodeId: string | null, data: RunEventData<T>): void {
    this.moveDeltasToPending();
    this.pending.push({ type, nodeId, data } as NewRunEvent);
    if (this.pending.length >= EVENTS_PER_BATCH) this.flushInBackground();
    else this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushInBackground());
  }

  /** A flush nobody awaits: its failure is recorded and reported, not thrown into the event loop. */
  private flushInBackground(): void {
    try {
      this.flush();
    } catch {
      // flush() recorded it.
    }
  }

  /**
   * Journals a model call's or tool's result, written with this turn's events in one transaction at the
   * end of the current event-loop turn. A crash can then repeat a call finished in that same turn (a
   * few microseconds more exposure than writing at once) in exchange for one write per turn instead of
   * one per call.
   */
  journal(entry: JournalEntry): void {
    this.pendingJournal.push(entry);
    this.scheduleFlush();
  }

  appendTextDelta(nodeId: string | null, text: string): void {
    if (text === '') return;
    this.deltas.set(nodeId, (this.deltas.get(nodeId) ?? '') + text);
    this.deltaTimer ??= setTimeout(() => {
      this.deltaTimer = null;
      this.moveDeltasToPending();
      this.flushInBackground();
    }, DELTA_FLUSH_MS);
  }

  /** Writes everything buffered now (before a status change, so readers never see a status ahead of its events). */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 && this.pendingJournal.length === 0) return;
    const batch = this.redactKnown ? this.pending.map((event) => this.redacted(event)) : this.pending;
    const journal = this.pendingJournal;
    this.pending = [];
    this.pendingJournal = [];
    const stored = this.reportingFailure(() =>
      this.store.appendEvents(this.runId, batch, this.now().toISOString(), journal),
    );
    this.onAppended(stored);
  }

  /** Records and reports (once) a write that failed, and throws it on. */
  private reportingFailure<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      if (!this.failure) {
        this.failure = { error };
        this.onWriteFailed(error);
      }
      throw error;
    }
  }

  /** The event itself when none of its strings holds a known secret (the usual case costs no copy). */
  private redacted(event: NewRunEvent): NewRunEvent {
    const redactKnown = this.redactKnown;
    if (!redactKnown) return event;
    const data = mapStrings(event.data, redactKnown);
    return data === event.data ? event : ({ ...event, data } as NewRunEvent);
  }

  /** Writes what is buffered and waits until the store has saved all of it (or throws why it could not). */
  close(): void {
    if (this.deltaTimer) clearTimeout(this.deltaTimer);
    this.deltaTimer = null;
    this.moveDeltasToPending();
    this.flush();
    this.reportingFailure(() => this.store.flushEvents(this.runId));
  }

  private moveDeltasToPending(): void {
    for (const [nodeId, text] of this.deltas) this.pending.push({ type: 'llm.delta', nodeId, data: { text } });
    this.deltas.clear();
  }
}
