import { randomUUID } from 'node:crypto';
import { chunkText } from '../chunking';
import { MemoryItemNotFoundError } from '../errors';
import { chunkFields } from '../fields';
import type { MemoryItem, MemoryKind, MemoryStoreResult, NewMemoryItem } from '../port';
import { fullTextQuery, normalizedTextHash, shingleSimilarity } from '../text';
import { itemFilters, toItem, type ItemRow } from './rows';
import type { StatementCache } from './statements';
import type { VectorSync } from './vector-sync';

/** Share of word pairs two texts must have in common to count as near-duplicates. */
const NEAR_DUPLICATE_SIMILARITY = 0.8;
/** How many of a new item's words look up its near-duplicate candidates in the full-text index. */
const NEAR_DUPLICATE_QUERY_TERMS = 24;

export interface StoreOptions {
  /** What to do with a near-duplicate of an existing item: merge into it (default), or skip the new one. */
  onNearDuplicate?: 'merge' | 'skip';
  signal?: AbortSignal;
}

export interface MemoryListOptions {
  namespaces?: string[];
  kinds?: MemoryKind[];
  pinned?: boolean;
  since?: string;
  until?: string;
  /** Only items whose provenance file is this path. */
  file?: string;
  offset?: number;
  limit?: number;
}

export interface MemoryPage {
  items: MemoryItem[];
  total: number;
  offset: number;
  /** Offset of the next page, or null on the last page. */
  nextOffset: number | null;
}

export interface MemoryUpdate {
  text?: string;
  kind?: MemoryKind;
  metadata?: Record<string, unknown>;
  pinned?: boolean;
}

/** Fields an import brings along instead of having them generated. */
export interface ItemIdentity {
  id: string;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

/** An item with its chunks (and their vectors) computed, ready to be written in a transaction. */
interface PreparedItem {
  item: NewMemoryItem;
  chunks: Array<{ text: string; lineStart: number | null; lineEnd: number | null }>;
  vectors: Float32Array[] | null;
}

/**
 * Memory items and their chunks: writing (with duplicate detection), editing, deleting and listing.
 * Every write keeps the full-text index (by triggers) and the vector index (here) in step.
 */
export class MemoryItems {
  constructor(
    private readonly statements: StatementCache,
    private readonly vectors: VectorSync,
    private readonly now: () => Date,
  ) {}

  async store(item: NewMemoryItem, options: StoreOptions = {}): Promise<MemoryStoreResult> {
    const exact = this.statements
      .sql('SELECT * FROM memory_items WHERE namespace = ? AND kind = ? AND text_hash = ? LIMIT 1')
      .get(item.namespace, item.kind, normalizedTextHash(item.text)) as ItemRow | undefined;
    if (exact) return { item: toItem(exact), outcome: 'skipped' };

    const near = this.findNearDuplicate(item);
    if (near && (options.onNearDuplicate ?? 'merge') === 'skip') return { item: near, outcome: 'skipped' };
    if (near) {
      const merged = await this.update(near.id, {
        text: item.text,
        metadata: { ...near.metadata, ...item.metadata },
        pinned: near.pinned || (item.pinned ?? false),
      });
      return { item: merged, outcome: 'merged' };
    }
    const [prepared] = await this.prepare([item], options.signal);
    if (!prepared) throw new Error('nothing to store');
    const stored = this.statements.transaction(() => this.insertPrepared(prepared));
    return { item: stored, outcome: 'stored' };
  }

  /**
   * Writes many items without duplicate detection (ingested file chunks, imports), all in one
   * transaction: either every item is written or none is.
   */
  async insertMany(
    items: ReadonlyArray<NewMemoryItem & { identity?: ItemIdentity }>,
    options: { replaceExisting?: boolean; signal?: AbortSignal; inTransaction?: () => void } = {},
  ): Promise<MemoryItem[]> {
    const prepared = await this.prepare(items, options.signal);
    return this.statements.transaction(() => {
      options.inTransaction?.();
      return prepared.map((entry, index) => {
        const identity = items[index]?.identity;
        if (identity && options.replaceExisting) this.deleteInTransaction([identity.id]);
        return this.insertPrepared(entry, identity);
      });
    });
  }

  async update(id: string, patch: MemoryUpdate, signal?: AbortSignal): Promise<MemoryItem> {
    const row = this.row(id);
    const textChanged = patch.text !== undefined && patch.text !== row.text;
    const prepared = textChanged
      ? (await this.prepare([{ ...toItem(row), text: patch.text ?? row.text }], signal))[0]
      : undefined;
    const updatedAt = this.now().toISOString();
    this.statements.transaction(() => {
      // Read again: the item may have changed while the new text was being embedded.
      const current = this.row(id);
      const kind = patch.kind ?? current.kind;
      this.statements
        .sql(
          'UPDATE memory_items SET text = ?, text_hash = ?, kind = ?, metadata = ?, pinned = ?, updated_at = ? WHERE seq = ?',
        )
        .run(
          patch.text ?? current.text,
          normalizedTextHash(patch.text ?? current.text),
          kind,
          patch.metadata === undefined ? current.metadata : JSON.stringify(patch.metadata),
          (patch.pinned ?? current.pinned === 1) ? 1 : 0,
          updatedAt,
          current.seq,
        );
      if (prepared) {
        this.removeChunks(current.seq);
        this.insertChunks(current.seq, current.namespace, kind, prepared);
      } else if (patch.kind !== undefined && patch.kind !== current.kind) {
        this.vectors.index?.setKind(this.chunkIds(current.seq), kind);
      }
    });
    return this.get(id);
  }

  setPinned(id: string, pinned: boolean): MemoryItem {
    const result = this.statements
      .sql('UPDATE memory_items SET pinned = ?, updated_at = ? WHERE id = ?')
      .run(pinned ? 1 : 0, this.now().toISOString(), id);
    if (result.changes === 0) throw new MemoryItemNotFoundError(id);
    return this.get(id);
  }

  /** Deletes the items that exist among `ids`; returns how many were deleted. Call inside a transaction. */
  deleteInTransaction(ids: readonly string[]): number {
    let deleted = 0;
    const find = this.statements.sql('SELECT seq FROM memory_items WHERE id = ?');
    const remove = this.statements.sql('DELETE FROM memory_items WHERE seq = ?');
    for (const id of ids) {
      const row = find.get(id) as { seq: number } | undefined;
      if (!row) continue;
      this.removeChunks(row.seq);
      deleted += remove.run(row.seq).changes;
    }
    return deleted;
  }

  idsInNamespace(namespace: string): string[] {
    return (
      this.statements.sql('SELECT id FROM memory_items WHERE namespace = ?').all(namespace) as Array<{ id: string }>
    ).map((row) => row.id);
  }

  markUsed(ids: readonly string[]): void {
    const statement = this.statements.sql('UPDATE memory_items SET last_used_at = ? WHERE id = ?');
    const at = this.now().toISOString();
    this.statements.transaction(() => ids.forEach((id) => statement.run(at, id)));
  }

  get(id: string): MemoryItem {
    return toItem(this.row(id));
  }

  list(options: MemoryListOptions = {}): MemoryPage {
    const { where, parameters } = itemFilters(options);
    if (options.pinned !== undefined) {
      where.push('pinned = ?');
      parameters.push(options.pinned ? 1 : 0);
    }
    if (options.file !== undefined) {
      where.push('file = ?');
      parameters.push(options.file);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const offset = options.offset ?? 0;
    const limit = options.limit ?? 50;
    const total = (
      this.statements.sql(`SELECT count(*) AS count FROM memory_items ${clause}`).get(...parameters) as {
        count: number;
      }
    ).count;
    const rows = this.statements
      .sql(`SELECT * FROM memory_items ${clause} ORDER BY updated_at DESC, seq DESC LIMIT ? OFFSET ?`)
      .all(...parameters, limit, offset) as ItemRow[];
    return {
      items: rows.map(toItem),
      total,
      offset,
      nextOffset: offset + rows.length < total ? offset + rows.length : null,
    };
  }

  /** Every item in insertion order, for export; rows are read lazily so memory use stays flat. */
  *allItems(namespaces?: readonly string[]): Generator<MemoryItem> {
    const { where, parameters } = itemFilters({ namespaces });
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // A statement of its own: a cached one could be re-entered while this iteration is still open.
    const statement = this.statements.db.prepare(`SELECT * FROM memory_items ${clause} ORDER BY seq`);
    for (const row of statement.iterate(...parameters) as IterableIterator<ItemRow>) yield toItem(row);
  }

  private row(id: string): ItemRow {
    const row = this.statements.sql('SELECT * FROM memory_items WHERE id = ?').get(id) as ItemRow | undefined;
    if (!row) throw new MemoryItemNotFoundError(id);
    return row;
  }

  private chunkIds(itemSeq: number): number[] {
    return (
      this.statements.sql('SELECT id FROM memory_chunks WHERE item_seq = ?').all(itemSeq) as Array<{ id: number }>
    ).map((row) => row.id);
  }

  private findNearDuplicate(item: NewMemoryItem): MemoryItem | null {
    const match = fullTextQuery(item.text, NEAR_DUPLICATE_QUERY_TERMS);
    if (!match) return null;
    const rows = this.statements
      .sql(
        `SELECT DISTINCT i.* FROM memory_chunks_fts f
           JOIN memory_chunks c ON c.id = f.rowid JOIN memory_items i ON i.seq = c.item_seq
         WHERE memory_chunks_fts MATCH ? AND i.namespace = ? AND i.kind = ?
         ORDER BY f.rank LIMIT 5`,
      )
      .all(match, item.namespace, item.kind) as ItemRow[];
    const best = rows
      .map((row) => ({ row, similarity: shingleSimilarity(row.text, item.text) }))
      .sort((a, b) => b.similarity - a.similarity)[0];
    return best && best.similarity >= NEAR_DUPLICATE_SIMILARITY ? toItem(best.row) : null;
  }

  /** Chunks and embeds outside any transaction, so a slow embedder never holds the write lock. */
  private async prepare(items: readonly NewMemoryItem[], signal?: AbortSignal): Promise<PreparedItem[]> {
    const prepared: PreparedItem[] = items.map((item) => {
      const lineStart = item.provenance?.lineStart;
      const chunks: PreparedItem['chunks'] = chunkText(item.text, lineStart ? { firstLine: lineStart } : {}).map(
        (chunk) => ({
          text: chunk.text,
          lineStart: lineStart ? chunk.lineStart : null,
          lineEnd: lineStart ? chunk.lineEnd : null,
        }),
      );
      // A whitespace-only text still gets one chunk, so every item is reachable by id and listing.
      if (chunks.length === 0) chunks.push({ text: item.text, lineStart: null, lineEnd: null });
      return { item, chunks, vectors: null };
    });
    const vectors = await this.vectors.embedForWrite(
      prepared.flatMap((entry) => entry.chunks.map((chunk) => chunk.text)),
      signal,
    );
    if (!vectors) return prepared;
    let next = 0;
    for (const entry of prepared) {
      entry.vectors = vectors.slice(next, next + entry.chunks.length);
      next += entry.chunks.length;
    }
    return prepared;
  }

  private insertPrepared(prepared: PreparedItem, identity?: ItemIdentity): MemoryItem {
    const { item } = prepared;
    const at = this.now().toISOString();
    const provenance = item.provenance ?? {};
    const id = identity?.id ?? randomUUID();
    const result = this.statements
      .sql(
        `INSERT INTO memory_items (id, namespace, kind, text, text_hash, metadata, run_id, node_id, file, line_start,
           line_end, pinned, created_at, updated_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        item.namespace,
        item.kind,
        item.text,
        normalizedTextHash(item.text),
        JSON.stringify(item.metadata ?? {}),
        provenance.runId ?? null,
        provenance.nodeId ?? null,
        provenance.file ?? null,
        provenance.lineStart ?? null,
        provenance.lineEnd ?? null,
        item.pinned ? 1 : 0,
        identity?.createdAt ?? at,
        identity?.updatedAt ?? at,
        identity?.lastUsedAt ?? null,
      );
    this.insertChunks(Number(result.lastInsertRowid), item.namespace, item.kind, prepared);
    return {
      id,
      namespace: item.namespace,
      kind: item.kind,
      text: item.text,
      metadata: item.metadata ?? {},
      provenance: { ...provenance },
      pinned: item.pinned ?? false,
      createdAt: identity?.createdAt ?? at,
      updatedAt: identity?.updatedAt ?? at,
      lastUsedAt: identity?.lastUsedAt ?? null,
    };
  }

  private insertChunks(itemSeq: number, namespace: string, kind: string, prepared: PreparedItem): void {
    const insert = this.statements.sql(
      `INSERT INTO memory_chunks (item_seq, ordinal, text, line_start, line_end, path, headings, symbols)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const { index } = this.vectors;
    prepared.chunks.forEach((chunk, ordinal) => {
      const fields = chunkFields(chunk.text, prepared.item.provenance?.file);
      const chunkId = Number(
        insert.run(
          itemSeq,
          ordinal,
          chunk.text,
          chunk.lineStart,
          chunk.lineEnd,
          fields.path,
          fields.headings,
          fields.symbols,
        ).lastInsertRowid,
      );
      const vector = prepared.vectors?.[ordinal];
      if (vector && index) index.put(chunkId, namespace, kind, vector);
    });
  }

  private removeChunks(itemSeq: number): void {
    this.vectors.index?.remove(this.chunkIds(itemSeq));
    this.statements.sql('DELETE FROM memory_chunks WHERE item_seq = ?').run(itemSeq);
  }
}
