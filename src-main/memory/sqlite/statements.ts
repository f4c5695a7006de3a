import type Database from 'better-sqlite3';

/**
 * The memory adapter's connection and the one cache of its prepared statements, shared by every part
 * of the adapter. Ingesting and searching re-run the same few statements hundreds of times a second,
 * so each is prepared on first use and reused.
 */
export class StatementCache {
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  sql(text: string): Database.Statement {
    let statement = this.prepared.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.prepared.set(text, statement);
    }
    return statement;
  }

  /** Runs `work` in one transaction (a savepoint inside one already open): all of it is written or none. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** Drops every cached statement: statements over a table that is dropped and re-created must be prepared anew. */
  clear(): void {
    this.prepared.clear();
  }
}
