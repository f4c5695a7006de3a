import type { Run, RunStatus } from '@shared/runs';
import type { KnownRunEvent, NewRunEvent, RunEvent } from '@shared/run-events';
import type { Workflow } from '@shared/workflow';
import type { JournalListing } from '@shared/run-compare';

/** The audit log's recording side (store/audit-port.ts), which the engine records its actions through. */
export type { AuditRecorder } from './audit-port';

/**
 * The port through which the engine persists runs, their event stream and their journal. The SQLite
 * repository implements it; the engine never touches the database itself.
 */
export interface RunRecord extends Run {
  workflow: Workflow;
  /** For forks: the node re-run with an edited input. */
  fork: { nodeId: string; input: unknown } | null;
  /** The process executing the run (so another process does not resume it at the same time). */
  ownerPid?: number | null;
}

export type { NewRunEvent };

export type RunPatch = Partial<
  Pick<RunRecord, 'status' | 'inputs' | 'outputs' | 'error' | 'pauseReason' | 'usage' | 'budget' | 'ownerPid'>
>;

export interface JournalEntry {
  /** The request's SHA-256 in hex (engine/journal.ts's journalKey): stored as its 32 bytes. */
  key: string;
  kind: string;
  /** Who asked (the execution scope) and what, as sent: kept so two runs' journals can be compared. */
  scope: string;
  request: unknown;
  value: unknown;
}

/** A journal entry as `listJournal` gives it (defined with the comparison that reads it). */
export type { JournalListing };

export interface RunStore {
  createRun(record: RunRecord): void;
  updateRun(id: string, patch: RunPatch, updatedAt: string): void;
  /** The whole record, workflow included (to execute, replay or fork the run). */
  getRun(id: string): RunRecord | null;
  /** The run without its workflow: what status reads and listings need, without parsing the graph. */
  getRunSummary(id: string): Run | null;
  /** Just the status (cheap: a status check does not read the run's workflow). */
  getRunStatus(id: string): RunStatus | null;
  /** The newest runs first, without their workflows. */
  listRuns(limit: number): Run[];
  /**
   * Appends events in order, each with the run's next seq, and journal entries, in one transaction;
   * returns the events as stored. Throws when an earlier append of the run could not be saved.
   */
  appendEvents(runId: string, events: NewRunEvent[], at: string, journal?: JournalEntry[]): KnownRunEvent[];
  /**
   * Returns once what appendEvents took for the run is saved (a store may save it after appendEvents
   * returns); throws why it could not be saved, if it could not.
   */
  flushEvents(runId: string): void;
  readEvents(runId: string, afterSeq: number, limit?: number): RunEvent[];
  /** A journaled result, or null when this request was never completed in that run. */
  readJournal(runId: string, key: string): { value: unknown } | null;
  /** Every journal entry of the run, in the order journaled. */
  listJournal(runId: string): JournalListing[];
}
