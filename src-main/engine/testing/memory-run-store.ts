import type { KnownRunEvent, RunEvent } from '@shared/run-events';
import type { Run, RunStatus } from '@shared/runs';
import type { JournalEntry, JournalListing, NewRunEvent, RunPatch, RunRecord, RunStore } from '../../store/port';

/** A RunStore in plain maps, for engine tests that do not need a database file. */
export class MemoryRunStore implements RunStore {
  readonly runs = new Map<string, RunRecord>();
  readonly events = new Map<string, RunEvent[]>();
  readonly journal = new Map<string, unknown>();
  /** Per run, its journal's entries in the order journaled (a re-journaled key moves to the end, as in SQLite). */
  private readonly listings = new Map<string, Map<string, Omit<JournalListing, 'ordinal'>>>();

  createRun(record: RunRecord): void {
    this.runs.set(record.id, structuredClone(record));
  }

  updateRun(id: string, patch: RunPatch, updatedAt: string): void {
    const current = this.runs.get(id);
    if (!current) throw new Error(`no run ${id}`);
    this.runs.set(id, { ...current, ...structuredClone(patch), updatedAt });
  }

  getRun(id: string): RunRecord | null {
    const record = this.runs.get(id);
    return record ? structuredClone(record) : null;
  }

  getRunStatus(id: string): RunStatus | null {
    return this.runs.get(id)?.status ?? null;
  }

  getRunSummary(id: string): Run | null {
    const record = this.getRun(id);
    if (!record) return null;
    const { workflow: _workflow, ...run } = record;
    return run;
  }

  listRuns(limit: number): Run[] {
    return [...this.runs.values()].reverse().slice(0, limit);
  }

  appendEvents(runId: string, events: NewRunEvent[], at: string, journal: JournalEntry[] = []): KnownRunEvent[] {
    // Copied once as they arrive, as the database serializes them: a caller changing an object later
    // changes nothing stored. (The bench's in-memory figure runs on this store: no copy more than that.)
    const listing = this.listings.get(runId) ?? new Map<string, Omit<JournalListing, 'ordinal'>>();
    this.listings.set(runId, listing);
    for (const { key, kind, scope, request, value } of structuredClone(journal)) {
      this.journal.set(`${runId}\u0000${key}`, value);
      listing.delete(key);
      listing.set(key, { key, kind, scope, request });
    }
    const list = this.events.get(runId) ?? [];
    this.events.set(runId, list);
    return structuredClone(events).map((event) => {
      const stored: KnownRunEvent = { runId, seq: list.length + 1, at, ...event };
      list.push(stored);
      return stored;
    });
  }

  /** Nothing to wait for: appendEvents stored it. */
  flushEvents(): void {}

  readEvents(runId: string, afterSeq: number, limit = 10_000): RunEvent[] {
    return (this.events.get(runId) ?? []).filter((event) => event.seq > afterSeq).slice(0, limit);
  }

  readJournal(runId: string, key: string): { value: unknown } | null {
    const id = `${runId}\u0000${key}`;
    return this.journal.has(id) ? { value: structuredClone(this.journal.get(id)) } : null;
  }

  listJournal(runId: string): JournalListing[] {
    const listing = [...(this.listings.get(runId)?.values() ?? [])];
    return structuredClone(listing.map((entry, index) => ({ ...entry, ordinal: index + 1 })));
  }
}
