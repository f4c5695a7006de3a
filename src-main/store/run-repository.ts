import type Database from 'better-sqlite3';
import { decodeRunEvent, type KnownRunEvent, type RunEvent } from '@shared/run-events';
import type { Run, RunStatus } from '@shared/runs';
import type { Workflow } from '@shared/workflow';
import { reportingStorageErrors } from './storage-error';
import type { JournalEntry, JournalListing, NewRunEvent, RunPatch, RunRecord, RunStore } from './port';

/** run_id, seq, at, type, node_id, data: a stored event's columns, in that order. */
type EventRow = [runId: string, seq: number, at: string, type: string, nodeId: string | null, data: string];

const EVENT_ROW = '(?, ?, ?, ?, ?, ?)';
const EVENTS_PER_INSERT = 32;

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

/** A journal key (a SHA-256 in hex, as the engine's journalKey makes it) as the 32 bytes the table stores. */
function journalKeyBytes(key: string): Buffer {
  const bytes = Buffer.from(key, 'hex');
  // Buffer.from stops quietly at the first non-hex character: two different malformed keys could collide.
  if (bytes.length !== 32 || key.length !== 64) throw new Error(`journal key is not a SHA-256 in hex: "${key}"`);
  return bytes;
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
 * entries because they are many.
 */
export class SqliteRunStore implements RunStore {
  private readonly nextSeqByRun = new Map<string, number>();
  private readonly nextJournalOrdinalByRun = new Map<string, number>();
  private readonly statements;

  constructor(private readonly db: Database.Database) {
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
      insertEvent: db.prepare(`INSERT INTO run_events (run_id, seq, at, type, node_id, data) VALUES ${EVENT_ROW}`),
      insertEvents: db.prepare(
        `INSERT INTO run_events (run_id, seq, at, type, node_id, data) VALUES ${Array<string>(EVENTS_PER_INSERT).fill(EVENT_ROW).join(', ')}`,
      ),
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
      writeJournal: db.prepare(
        `INSERT OR REPLACE INTO run_journal (run_id, key, kind, value, at, scope, request, ordinal)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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
    return this.inTransaction(() => {
      let ordinal =
        this.nextJournalOrdinalByRun.get(runId) ?? (this.statements.maxJournalOrdinal.get(runId)?.ordinal ?? 0) + 1;
      for (const entry of journal) {
        const { key, kind, scope, request, value } = entry;
        const json = (data: unknown) => JSON.stringify(data ?? null);
        this.statements.writeJournal.run(
          runId,
          journalKeyBytes(key),
          kind,
          json(value),
          at,
          scope,
          json(request),
          ordinal++,
        );
      }
      this.nextJournalOrdinalByRun.set(runId, ordinal);
      let seq = this.nextSeqByRun.get(runId) ?? (this.statements.maxSeq.get(runId)?.seq ?? 0) + 1;
      // Built field by field, not spread: every stored event then has one shape, which keeps this loop
      // (thousands of events a second) monomorphic.
      const stored = events.map(
        (event): KnownRunEvent =>
          ({ runId, seq: seq++, at, type: event.type, nodeId: event.nodeId, data: event.data }) as KnownRunEvent,
      );
      // A busy turn writes hundreds of events: a statement per row would spend more time crossing into
      // SQLite than inserting.
      const whole = stored.length - (stored.length % EVENTS_PER_INSERT);
      for (let start = 0; start < stored.length;) {
        const many = start < whole;
        const end = many ? start + EVENTS_PER_INSERT : start + 1;
        const columns: unknown[] = [];
        for (let index = start; index < end; index++) {
          const row = stored[index] as KnownRunEvent;
          columns.push(runId, row.seq, at, row.type, row.nodeId, JSON.stringify(row.data));
        }
        (many ? this.statements.insertEvents : this.statements.insertEvent).run(columns);
        start = end;
      }
      this.nextSeqByRun.set(runId, seq);
      return stored;
    });
  }

  readEvents(runId: string, afterSeq: number, limit = 10_000): RunEvent[] {
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
    const row = this.statements.readJournal.get(runId, journalKeyBytes(key));
    return row ? { value: JSON.parse(row.value) as unknown } : null;
  }

  listJournal(runId: string): JournalListing[] {
    return this.statements.listJournal.all(runId).map((row, index) => ({
      key: row.key,
      kind: row.kind,
      scope: row.scope,
      request: row.request === null ? null : (JSON.parse(row.request) as unknown),
      ordinal: index + 1,
    }));
  }
}
