import type Database from 'better-sqlite3';
import { RunEventSchema, type RunEvent } from '@shared/runs';
import type { JournalEntry, NewRunEvent, RunPatch, RunRecord, RunStore } from './port';

interface EventRow {
  run_id: string;
  seq: number;
  at: string;
  type: string;
  node_id: string | null;
  data: string;
}

/**
 * Runs, events and journal in the profile database. A run's whole record is one JSON document (it is
 * read and written whole); events and journal entries get rows of their own because they are many.
 */
export class SqliteRunStore implements RunStore {
  private readonly nextSeqByRun = new Map<string, number>();
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      insertRun: db.prepare(
        `INSERT INTO runs (id, workflow_id, status, mode, source_run_id, document, created_at, updated_at)
         VALUES (@id, @workflowId, @status, @mode, @sourceRunId, @document, @createdAt, @updatedAt)`,
      ),
      updateRun: db.prepare('UPDATE runs SET status = ?, document = ?, updated_at = ? WHERE id = ?'),
      getRun: db.prepare<[string], { document: string }>('SELECT document FROM runs WHERE id = ?'),
      listRuns: db.prepare<[number], { document: string }>(
        'SELECT document FROM runs ORDER BY created_at DESC, id DESC LIMIT ?',
      ),
      maxSeq: db.prepare<[string], { seq: number | null }>('SELECT MAX(seq) AS seq FROM run_events WHERE run_id = ?'),
      insertEvent: db.prepare(
        'INSERT INTO run_events (run_id, seq, at, type, node_id, data) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      readEvents: db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      readJournal: db.prepare<[string, string], { value: string }>(
        'SELECT value FROM run_journal WHERE run_id = ? AND key = ?',
      ),
      writeJournal: db.prepare(
        'INSERT OR REPLACE INTO run_journal (run_id, key, kind, value, at) VALUES (?, ?, ?, ?, ?)',
      ),
    };
  }

  createRun(record: RunRecord): void {
    this.statements.insertRun.run({
      id: record.id,
      workflowId: record.workflowId,
      status: record.status,
      mode: record.mode,
      sourceRunId: record.sourceRunId,
      document: JSON.stringify(record),
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  }

  updateRun(id: string, patch: RunPatch, updatedAt: string): void {
    this.db.transaction(() => {
      const current = this.getRun(id);
      if (!current) throw new Error(`no run ${id}`);
      const next: RunRecord = { ...current, ...patch, updatedAt };
      this.statements.updateRun.run(next.status, JSON.stringify(next), updatedAt, id);
    })();
  }

  getRun(id: string): RunRecord | null {
    const row = this.statements.getRun.get(id);
    return row ? (JSON.parse(row.document) as RunRecord) : null;
  }

  listRuns(limit: number): RunRecord[] {
    return this.statements.listRuns.all(limit).map((row) => JSON.parse(row.document) as RunRecord);
  }

  appendEvents(runId: string, events: NewRunEvent[], at: string, journal: JournalEntry[] = []): RunEvent[] {
    return this.db.transaction(() => {
      for (const entry of journal) {
        this.statements.writeJournal.run(runId, entry.key, entry.kind, JSON.stringify(entry.value ?? null), at);
      }
      let seq = this.nextSeqByRun.get(runId) ?? (this.statements.maxSeq.get(runId)?.seq ?? 0) + 1;
      const stored = events.map((event) => {
        const row: RunEvent = { runId, seq: seq++, at, type: event.type, nodeId: event.nodeId, data: event.data };
        this.statements.insertEvent.run(runId, row.seq, at, row.type, row.nodeId, JSON.stringify(row.data));
        return row;
      });
      this.nextSeqByRun.set(runId, seq);
      return stored;
    })();
  }

  readEvents(runId: string, afterSeq: number, limit = 10_000): RunEvent[] {
    return this.statements.readEvents.all(runId, afterSeq, limit).map((row) =>
      RunEventSchema.parse({
        runId: row.run_id,
        seq: row.seq,
        at: row.at,
        type: row.type,
        nodeId: row.node_id,
        data: JSON.parse(row.data),
      }),
    );
  }

  readJournal(runId: string, key: string): { value: unknown } | null {
    const row = this.statements.readJournal.get(runId, key);
    return row ? { value: JSON.parse(row.value) as unknown } : null;
  }
}
