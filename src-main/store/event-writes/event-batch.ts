import type Database from 'better-sqlite3';

/**
 * One transaction's worth of a run's events and journal entries, as rows ready for SQLite. Flat arrays
 * of strings and numbers: a batch is copied to the writer thread, and a flat array of primitives is the
 * cheapest thing to copy there (about 0.1 µs a row, against microseconds to insert it).
 */
export interface EventBatch {
  runId: string;
  /** Per event, EVENT_WRITES.eventColumns values: seq, at, type, node id, data as JSON. */
  events: Array<string | number | null>;
  /** Per entry, EVENT_WRITES.journalColumns values: key (SHA-256 hex), kind, value JSON, at, scope, request JSON, ordinal. */
  journal: Array<string | number | null>;
}

/** How many event rows one multi-row INSERT carries (a statement per row costs more than the insert). */
const EVENTS_PER_INSERT = 32;
const EVENT_ROW = '(?, ?, ?, ?, ?, ?)';

/**
 * How a batch is written: its row shapes and statements, the same on the app's connection and on the
 * writer thread's (which receives this object as data).
 */
export const EVENT_WRITES = {
  eventColumns: 5,
  journalColumns: 7,
  eventsPerInsert: EVENTS_PER_INSERT,
  insertEvent: `INSERT INTO run_events (run_id, seq, at, type, node_id, data) VALUES ${EVENT_ROW}`,
  insertEvents: `INSERT INTO run_events (run_id, seq, at, type, node_id, data) VALUES ${Array<string>(EVENTS_PER_INSERT).fill(EVENT_ROW).join(', ')}`,
  writeJournal: `INSERT OR REPLACE INTO run_journal (run_id, key, kind, value, at, scope, request, ordinal)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
};

export type EventWrites = typeof EVENT_WRITES;

export interface EventWriteStatements extends Pick<EventWrites, 'eventColumns' | 'journalColumns' | 'eventsPerInsert'> {
  insertEvent: Database.Statement;
  insertEvents: Database.Statement;
  writeJournal: Database.Statement;
}

// The two functions below also run inside the writer thread, which receives their source text (see
// writer-thread.ts): they must use nothing but their parameters and language built-ins (Buffer included).

/** Prepares the batch statements on a connection. */
export function prepareEventWrites(db: Database.Database, sql: EventWrites): EventWriteStatements {
  return {
    eventColumns: sql.eventColumns,
    journalColumns: sql.journalColumns,
    eventsPerInsert: sql.eventsPerInsert,
    insertEvent: db.prepare(sql.insertEvent),
    insertEvents: db.prepare(sql.insertEvents),
    writeJournal: db.prepare(sql.writeJournal),
  };
}

/** Inserts a batch's rows; the caller holds the transaction. */
export function writeEventBatch(statements: EventWriteStatements, batch: EventBatch): void {
  const { runId, events, journal } = batch;
  const { eventColumns, journalColumns, eventsPerInsert: perInsert } = statements;
  for (let index = 0; index < journal.length; index += journalColumns) {
    const [key, kind, value, at, scope, request, ordinal] = journal.slice(index, index + journalColumns);
    statements.writeJournal.run(runId, Buffer.from(String(key), 'hex'), kind, value, at, scope, request, ordinal);
  }
  const count = events.length / eventColumns;
  const whole = count - (count % perInsert);
  for (let start = 0; start < count;) {
    const many = start < whole;
    const end = many ? start + perInsert : start + 1;
    const columns: Array<string | number | null> = [];
    for (let row = start; row < end; row++) {
      columns.push(runId);
      for (let column = row * eventColumns; column < (row + 1) * eventColumns; column++)
        columns.push(events[column] ?? null);
    }
    (many ? statements.insertEvents : statements.insertEvent).run(columns);
    start = end;
  }
}
