import type Database from 'better-sqlite3';
import { decodeRunEvent, type KnownRunEvent, type RunEvent } from '@shared/run-events';
import type { Run, RunStatus } from '@shared/runs';
import type { Workflow } from '@shared/workflow';
import type { EventBatch } from './event-writes/event-batch';
import { BackgroundEventWriter, InlineEventWriter, type EventWriter } from './event-writes/event-writer';
import { reportingStorageErrors } from './storage-error';
import type { JournalEntry, JournalListing, NewRunEvent, RunPatch, RunRecord, RunStore } from './port';

/** run_id, seq, at, type, node_id, data: a stored event's columns, in that order. */
type EventRow = [runId: string, seq: number, at: string, type: string, nodeId: string | null, data: string];

interface JournalRow {
  key: string;
  kind: string;
  scope: string | null;
  request: string | null;
}

interface RunRow {
  document: string;
  workflow: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** A journal key (a SHA-256 in hex, as the engine's journalKey makes it) as the 32 bytes the table stores. */
function journalKeyBytes(key: string): Buffer {
  assertJournalKey(key);
  return Buffer.from(key, 'hex');
}

/** Refuses a key that is not 64 hex digits: Buffer.from would stop quietly at a non-hex one, and two malformed keys could collide. */
function assertJournalKey(key: string): void {
  if (!SHA256_HEX.test(key)) throw new Error(`journal key is not a SHA-256 in hex: "${key}"`);
}

export interface SqliteRunStoreOptions {
  /**
   * Save events and journal entries on a thread of their own (default: yes, for a database file). The
   * engine then does not wait for SQLite between steps; every read of a run first waits for its writes.
   */
  writeInBackground?: boolean;
}

function toRecord(row: RunRow): RunRecord {
  return {
    ...(JSON.parse(row.document) as Omit<RunRecord, 'workflow'>),
    workflow: JSON.parse(row.workflow) as Workflow,
  };
}

/**
 * Runs, events and journal in the profile database. A run's record is one JSON document (read and
 * written whole); its workflow, written once, has a row of its own, and so do events and journal
 * entries because they are many. Events and journal entries are written by an EventWriter (a thread of
 * its own for a database file); a run's record is written here, after its events: a status is never
 * ahead of the events that led to it.
 */
export class SqliteRunStore implements RunStore {
  private readonly nextSeqByRun = new Map<string, number>();
  private readonly nextJournalOrdinalByRun = new Map<string, number>();
  private readonly statements;
  private readonly writer: EventWriter;

  constructor(
    private readonly db: Database.Database,
    options: SqliteRunStoreOptions = {},
  ) {
    const background = (options.writeInBackground ?? true) && !db.memory && !db.readonly;
    // The thread's connection waits for another's lock as long as this one does.
    const busyTimeoutMs = Number(db.pragma('busy_timeout', { simple: true }));
    this.writer = background ? new BackgroundEventWriter(db, busyTimeoutMs) : new InlineEventWriter(db);
    this.statements = {
      insertRun: db.prepare(
        `INSERT INTO runs (id, workflow_id, status, mode, source_run_id, document, created_at, updated_at)
         VALUES (@id, @workflowId, @status, @mode, @sourceRunId, @document, @createdAt, @updatedAt)`,
      ),
      insertWorkflow: db.prepare('INSERT INTO run_workflows (run_id, workflow) VALUES (?, ?)'),
      updateRun: db.prepare('UPDATE runs SET status = ?, document = ?, updated_at = ? WHERE id = ?'),
      getStatus: db.prepare<[string], { status: RunStatus }>('SELECT status FROM runs WHERE id = ?'),
      getDocument: db.prepare<[string], { document: string }>('SELECT document FROM runs WHERE id = ?'),
      getRun: db.prepare<[string], RunRow>(
        'SELECT document, workflow FROM runs JOIN run_workflows ON run_id = id WHERE id = ?',
      ),
      listRuns: db.prepare<[number], { document: string }>(
        'SELECT document FROM runs ORDER BY created_at DESC, id DESC LIMIT ?',
      ),
      maxSeq: db.prepare<[string], { seq: number | null }>('SELECT MAX(seq) AS seq FROM run_events WHERE run_id = ?'),
      // Rows as arrays: a page of thousands of events is read per request, and a row object per event
      // only to be taken apart again cost a fifth of the read.
      readEvents: db
        .prepare<[string, number, number], EventRow>(
          'SELECT run_id, seq, at, type, node_id, data FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
        )
        .raw(true),
      readJournal: db.prepare<[string, Buffer], { value: string }>(
        'SELECT value FROM run_journal WHERE run_id = ? AND key = ?',
      ),
      maxJournalOrdinal: db.prepare<[string], { ordinal: number | null }>(
        'SELECT MAX(ordinal) AS ordinal FROM run_journal WHERE run_id = ?',
      ),
      // Entries from before the order was kept (NULL ordinal) came first; among them, time is the order.
      listJournal: db.prepare<[string], JournalRow>(
        `SELECT lower(hex(key)) AS key, kind, scope, request FROM run_journal WHERE run_id = ?
         ORDER BY ordinal IS NOT NULL, ordinal, at, key`,
      ),
    };
  }

  /** One transaction, with a full disk, a read-only profile or a lock reported as a StorageError. */
  private inTransaction<T>(write: () => T): T {
    return reportingStorageErrors(this.db.name, () => this.db.transaction(write)());
  }

  createRun(record: RunRecord): void {
    const { workflow, ...document } = record;
    this.inTransaction(() => {
      this.statements.insertRun.run({
        id: record.id,
        workflowId: record.workflowId,
        status: record.status,
        mode: record.mode,
        sourceRunId: record.sourceRunId,
        document: JSON.stringify(document),
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
      });
      this.statements.insertWorkflow.run(record.id, JSON.stringify(workflow));
    });
  }

  updateRun(id: string, patch: RunPatch, updatedAt: string): void {
    this.writer.settle(id);
    this.inTransaction(() => {
      const row = this.statements.getDocument.get(id);
      if (!row) throw new Error(`no run ${id}`);
      const next = { ...(JSON.parse(row.document) as Omit<RunRecord, 'workflow'>), ...patch, updatedAt };
      this.statements.updateRun.run(next.status, JSON.stringify(next), updatedAt, id);
    });
  }

  getRun(id: string): RunRecord | null {
    const row = this.statements.getRun.get(id);
    return row ? toRecord(row) : null;
  }

  getRunSummary(id: string): Run | null {
    const row = this.statements.getDocument.get(id);
    return row ? (JSON.parse(row.document) as Run) : null;
  }

  listRuns(limit: number): Run[] {
    return this.statements.listRuns.all(limit).map((row) => JSON.parse(row.document) as Run);
  }

  appendEvents(runId: string, events: NewRunEvent[], at: string, journal: JournalEntry[] = []): KnownRunEvent[] {
    const batch: EventBatch = { runId, events: [], journal: [] };
    let ordinal =
      this.nextJournalOrdinalByRun.get(runId) ?? (this.statements.maxJournalOrdinal.get(runId)?.ordinal ?? 0) + 1;
    const json = (data: unknown) => JSON.stringify(data ?? null);
    for (const { key, kind, scope, request, value } of journal) {
      assertJournalKey(key);
      batch.journal.push(key, kind, json(value), at, scope, json(request), ordinal++);
    }
    let seq = this.nextSeqByRun.get(runId) ?? (this.statements.maxSeq.get(runId)?.seq ?? 0) + 1;
    // Built field by field, not spread: every stored event then has one shape, which keeps this loop
    // (thousands of events a second) monomorphic.
    const stored = events.map((event): KnownRunEvent => {
      const row = { runId, seq: seq++, at, type: event.type, nodeId: event.nodeId, data: event.data } as KnownRunEvent;
      batch.events.push(row.seq, at, row.type, row.nodeId, JSON.stringify(row.data));
      return row;
    });
    if (batch.events.length + batch.journal.length > 0) this.writer.write(batch);
    else {
      // As write() would: an append throws when an earlier batch of the run could not be saved.
      const failure = this.writer.failureOf(runId);
      if (failure) throw failure;
    }
    this.nextJournalOrdinalByRun.set(runId, ordinal);
    this.nextSeqByRun.set(runId, seq);
    return stored;
  }

  /** Waits until the run's events and journal entries are saved; throws why they could not be, if a write failed. */
  flushEvents(runId: string): void {
    this.writer.settle(runId);
    const failure = this.writer.failureOf(runId);
    if (failure) throw failure;
  }

  /** Waits until every run's appended events are saved (or failed): for readers that query the events table themselves. */
  settleEvents(): void {
    this.writer.settle();
  }

  /** Saves what is still being written, and stops the writer thread: before the database is closed. */
  close(): void {
    this.writer.close();
  }

  readEvents(runId: string, afterSeq: number, limit = 10_000): RunEvent[] {
    this.writer.settle(runId);
    return this.statements.readEvents
      .all(runId, afterSeq, limit)
      .map(([, seq, at, type, nodeId, data]) =>
        decodeRunEvent({ runId, seq, at, type, nodeId, data: JSON.parse(data) }),
      );
  }

  getRunStatus(id: string): RunStatus | null {
    return this.statements.getStatus.get(id)?.status ?? null;
  }

  readJournal(runId: string, key: string): { value: unknown } | null {
    this.writer.settle(runId);
    const row = this.statements.readJournal.get(runId, journalKeyBytes(key));
    return row ? { value: JSON.parse(row.value) as unknown } : null;
  }

  listJournal(runId: string): JournalListing[] {
    this.writer.settle(runId);
    return this.statements.listJournal.all(runId).map((row, index) => ({
      key: row.key,
      kind: row.kind,
      scope: row.scope,
      request: row.request === null ? null : (JSON.parse(row.request) as unknown),
      ordinal: index + 1,
    }));
  }
}
