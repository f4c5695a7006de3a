import type Database from 'better-sqlite3';
import { AUDIT_GENESIS_HASH, type AuditEntry, type AuditFilter, type NewAuditEntry } from '@shared/audit';
import { hashAuditEntry, verifyAuditChain, type StoredAuditEntry } from './audit-chain';

interface AuditRow {
  seq: number;
  at: string;
  kind: string;
  run_id: string | null;
  node_id: string | null;
  actor: string;
  details: string;
  prev_hash: string;
  hash: string;
}

const DEFAULT_PAGE = 500;

/**
 * The audit log table: entries appended at the end of the hash chain, read back in seq order. There
 * is no update or delete here, and the table's triggers refuse them from anywhere else.
 */
export class AuditRepository {
  private readonly selectLast: Database.Statement<[], { seq: number; hash: string }>;
  private readonly insert: Database.Statement<[AuditRow]>;
  private readonly selectAll: Database.Statement<[], AuditRow>;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.selectLast = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(
      'INSERT INTO audit_log (seq, at, kind, run_id, node_id, actor, details, prev_hash, hash) ' +
        'VALUES (@seq, @at, @kind, @run_id, @node_id, @actor, @details, @prev_hash, @hash)',
    );
    this.selectAll = db.prepare('SELECT * FROM audit_log ORDER BY seq');
  }

  /**
   * Links the entry to the last one and writes it. IMMEDIATE takes the write lock before reading the
   * last hash, so two processes on one profile (the app and the CLI) cannot both link to the same entry.
   */
  append(entry: NewAuditEntry): AuditEntry {
    return this.db
      .transaction((): AuditEntry => {
        const last = this.selectLast.get();
        const body = {
          seq: (last?.seq ?? 0) + 1,
          at: this.now().toISOString(),
          kind: entry.kind,
          runId: entry.runId,
          nodeId: entry.nodeId,
          actor: entry.actor,
          details: entry.details as Record<string, unknown>,
          prevHash: last?.hash ?? AUDIT_GENESIS_HASH,
        };
        const stored = { ...body, hash: hashAuditEntry(body) };
        this.insert.run(toRow(stored));
        return stored;
      })
      .immediate();
  }

  /** Entries matching the filter in seq order, one page at a time. */
  list(filter: AuditFilter): { entries: AuditEntry[]; hasMore: boolean } {
    const limit = filter.limit ?? DEFAULT_PAGE;
    const rows = this.select(filter, limit + 1);
    const entries = rows.slice(0, limit).map((row) => {
      const entry = fromRow(row);
      return { ...entry, details: entry.details ?? {} };
    });
    return { entries, hasMore: rows.length > limit };
  }

  /** Every matching entry, read lazily (exports of a long log do not page through list()). */
  *each(filter: Omit<AuditFilter, 'limit' | 'afterSeq'>): Generator<AuditEntry> {
    let afterSeq = 0;
    for (;;) {
      const page = this.list({ ...filter, afterSeq, limit: DEFAULT_PAGE });
      yield* page.entries;
      const last = page.entries.at(-1);
      if (!page.hasMore || !last) return;
      afterSeq = last.seq;
    }
  }

  verify() {
    return verifyAuditChain(this.storedEntries());
  }

  private *storedEntries(): Generator<StoredAuditEntry> {
    for (const row of this.selectAll.iterate()) yield fromRow(row);
  }

  private select(filter: AuditFilter, limit: number): AuditRow[] {
    const where: string[] = ['seq > @afterSeq'];
    const params: Record<string, unknown> = { afterSeq: filter.afterSeq ?? 0, limit };
    if (filter.since !== undefined) {
      // Stored times are UTC toISOString() text, so a normalised bound compares as text.
      where.push('at >= @since');
      params.since = new Date(filter.since).toISOString();
    }
    if (filter.runId !== undefined) {
      where.push('run_id = @runId');
      params.runId = filter.runId;
    }
    if (filter.kinds !== undefined && filter.kinds.length > 0) {
      where.push(`kind IN (${filter.kinds.map((_, index) => `@kind${index}`).join(', ')})`);
      filter.kinds.forEach((kind, index) => (params[`kind${index}`] = kind));
    }
    return this.db
      .prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT @limit`)
      .all(params) as AuditRow[];
  }
}

function toRow(entry: AuditEntry): AuditRow {
  return {
    seq: entry.seq,
    at: entry.at,
    kind: entry.kind,
    run_id: entry.runId,
    node_id: entry.nodeId,
    actor: entry.actor,
    details: JSON.stringify(entry.details),
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

function fromRow(row: AuditRow): StoredAuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    kind: row.kind,
    runId: row.run_id,
    nodeId: row.node_id,
    actor: row.actor,
    details: parseDetails(row.details),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function parseDetails(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
