import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { chunkText, type TextChunk } from '../chunking';
import { cosineSimilarity, isZeroVector, type Embedder, type EmbedderIdentity } from '../embedder';
import { MemoryItemNotFoundError } from '../errors';
import type {
  MemoryItem,
  MemoryKind,
  MemoryProvenance,
  MemorySearchHit,
  MemorySearchOptions,
  MemoryStore,
  MemoryStoreResult,
  NewMemoryItem,
} from '../port';
import { fullTextQuery, normalizedTextHash, quoteTerm, shingleSimilarity, words } from '../text';
import { hasVectorExtension, VectorIndex } from './vector-index';

/** Reciprocal rank fusion constant: 60 is the value from the original RRF paper and works without tuning. */
const RRF_K = 60;
const PIN_BOOST = 0.5;
const RECENCY_BOOST = 0.25;
const RECENCY_HALF_LIFE_DAYS = 30;
/** Share of word pairs two texts must have in common to count as near-duplicates. */
export const NEAR_DUPLICATE_SIMILARITY = 0.8;
const EMBED_BATCH = 256;
const MAX_QUERY_TERMS = 32;
/** A query word found in more than this share of all chunks is "common" (see fullTextRanking)... */
const COMMON_WORD_SHARE = 0.02;
/** ...but never below this many chunks, so small memories always rank with every word. */
const COMMON_WORD_MIN_CHUNKS = 2000;

export interface SqliteMemoryStoreOptions {
  /** An open profile database with the memory migration applied (and sqlite-vec loaded when embedding). */
  db: Database.Database;
  /** null: full-text-only mode. */
  embedder: Embedder | null;
  now?: () => Date;
  /** Below this many chunks no query word counts as common (see fullTextRanking). */
  commonWordMinChunks?: number;
}

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

export interface NamespaceStats {
  namespace: string;
  items: number;
  chunks: number;
  pinned: number;
  files: number;
  byKind: Partial<Record<MemoryKind, number>>;
  lastUpdatedAt: string | null;
}

export type VectorIndexState =
  /** No embedder: full-text search only. */
  | 'off'
  /** Every chunk has a vector from the current embedder. */
  | 'ready'
  /** Some chunks lack a vector, or they were built by another embedder: run `syncVectors`. */
  | 'stale';

export interface MemoryStats {
  namespaces: NamespaceStats[];
  totals: { items: number; chunks: number; pinned: number; files: number };
  vectors: {
    state: VectorIndexState;
    embedder: EmbedderIdentity | null;
    /** The embedder the stored vectors were built with, when it differs from the current one. */
    indexedWith: EmbedderIdentity | null;
    chunksWithoutVector: number;
  };
}

export interface VectorSyncProgress {
  done: number;
  total: number;
}

/** An item with its chunks (and their vectors) computed, ready to be written in a transaction. */
interface PreparedItem {
  item: NewMemoryItem;
  chunks: Array<{ text: string; lineStart: number | null; lineEnd: number | null }>;
  vectors: Float32Array[] | null;
}

/** Fields an import brings along instead of having them generated. */
export interface ItemIdentity {
  id: string;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

interface ItemRow {
  seq: number;
  id: string;
  namespace: string;
  kind: MemoryKind;
  text: string;
  metadata: string;
  run_id: string | null;
  node_id: string | null;
  file: string | null;
  line_start: number | null;
  line_end: number | null;
  pinned: number;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
}

interface RankedChunk {
  chunkId: number;
  fullTextRank?: number;
  vectorRank?: number;
  cosine?: number;
}

/**
 * Project memory in the profile's SQLite database: items split into chunks, chunks indexed by FTS5
 * (BM25) and, when an embedder is configured, by vector (see VectorIndex). Search fuses both rankings
 * with reciprocal rank fusion, then boosts pinned and recently updated items.
 */
export class SqliteMemoryStore implements MemoryStore {
  readonly embedder: Embedder | null;
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly vectors: VectorIndex | null;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly commonWordMinChunks: number;

  constructor(options: SqliteMemoryStoreOptions) {
    this.db = options.db;
    this.embedder = options.embedder;
    this.now = options.now ?? (() => new Date());
    this.commonWordMinChunks = options.commonWordMinChunks ?? COMMON_WORD_MIN_CHUNKS;
    if (this.embedder) {
      if (!hasVectorExtension(this.db))
        throw new Error('Vector search needs the sqlite-vec extension loaded on the database connection');
      this.vectors = new VectorIndex(this.db);
      if (this.vectors.recorded() === null) this.vectors.reset(this.identity());
    } else {
      // Without an embedder, vectors from an earlier one are kept (for when it comes back) but still
      // deleted along with their chunks, when sqlite-vec is there to do it.
      const tableExists =
        this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'memory_vectors'").get() !== undefined;
      this.vectors = tableExists && hasVectorExtension(this.db) ? new VectorIndex(this.db) : null;
    }
  }

  // ---- Writing -------------------------------------------------------------------------------------

  async store(item: NewMemoryItem, options: StoreOptions = {}): Promise<MemoryStoreResult> {
    const exact = this.sql('SELECT * FROM memory_items WHERE namespace = ? AND kind = ? AND text_hash = ? LIMIT 1').get(
      item.namespace,
      item.kind,
      normalizedTextHash(item.text),
    ) as ItemRow | undefined;
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
    const stored = this.db.transaction(() => this.insertPrepared(prepared))();
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
    return this.db.transaction(() => {
      options.inTransaction?.();
      return prepared.map((entry, index) => {
        const identity = items[index]?.identity;
        if (identity && options.replaceExisting) this.deleteSync([identity.id]);
        return this.insertPrepared(entry, identity);
      });
    })();
  }

  async update(id: string, patch: MemoryUpdate, signal?: AbortSignal): Promise<MemoryItem> {
    const row = this.row(id);
    const textChanged = patch.text !== undefined && patch.text !== row.text;
    const prepared = textChanged
      ? (await this.prepare([{ ...toItem(row), text: patch.text ?? row.text }], signal))[0]
      : undefined;
    const updatedAt = this.now().toISOString();
    this.db.transaction(() => {
      const current = this.row(id);
      const kind = patch.kind ?? current.kind;
      this.sql(
        'UPDATE memory_items SET text = ?, text_hash = ?, kind = ?, metadata = ?, pinned = ?, updated_at = ? WHERE seq = ?',
      ).run(
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
        this.vectors?.setKind(this.chunkIds(current.seq), kind);
      }
    })();
    return this.get(id);
  }

  setPinned(id: string, pinned: boolean): MemoryItem {
    const result = this.sql('UPDATE memory_items SET pinned = ?, updated_at = ? WHERE id = ?').run(
      pinned ? 1 : 0,
      this.now().toISOString(),
      id,
    );
    if (result.changes === 0) throw new MemoryItemNotFoundError(id);
    return this.get(id);
  }

  /** Deletes the items that exist among `ids`; returns how many were deleted. */
  delete(ids: readonly string[]): number {
    return this.db.transaction(() => this.deleteSync(ids))();
  }

  /** Deletes everything in a namespace, ingested file records included. */
  deleteNamespace(namespace: string): number {
    return this.db.transaction(() => {
      const ids = (
        this.sql('SELECT id FROM memory_items WHERE namespace = ?').all(namespace) as Array<{ id: string }>
      ).map((row) => row.id);
      this.sql('DELETE FROM memory_files WHERE namespace = ?').run(namespace);
      return this.deleteSync(ids);
    })();
  }

  markUsed(ids: readonly string[]): void {
    const statement = this.sql('UPDATE memory_items SET last_used_at = ? WHERE id = ?');
    const at = this.now().toISOString();
    this.db.transaction(() => ids.forEach((id) => statement.run(at, id)))();
  }

  // ---- Reading -------------------------------------------------------------------------------------

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
      this.sql(`SELECT count(*) AS count FROM memory_items ${clause}`).get(...parameters) as { count: number }
    ).count;
    const rows = this.sql(
      `SELECT * FROM memory_items ${clause} ORDER BY updated_at DESC, seq DESC LIMIT ? OFFSET ?`,
    ).all(...parameters, limit, offset) as ItemRow[];
    return {
      items: rows.map(toItem),
      total,
      offset,
      nextOffset: offset + rows.length < total ? offset + rows.length : null,
    };
  }

  /** Every item in insertion order, for export; rows are read lazily so memory use stays flat. */
  *allItems(namespaces?: readonly string[]): Generator<MemoryItem> {
    const { where, parameters } = itemFilters({ namespaces: namespaces ? [...namespaces] : undefined });
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // A statement of its own: a cached one could be re-entered while this iteration is still open.
    const statement = this.db.prepare(`SELECT * FROM memory_items ${clause} ORDER BY seq`);
    for (const row of statement.iterate(...parameters) as IterableIterator<ItemRow>) yield toItem(row);
  }

  async search(query: string, options: MemorySearchOptions = {}): Promise<MemorySearchHit[]> {
    const limit = options.limit ?? 10;
    const mode = options.mode ?? 'hybrid';
    const candidates = Math.max(limit * 3, 30);
    const ranked = new Map<number, RankedChunk>();
    const notes: string[] = [];

    if (mode !== 'vector') {
      const fullText = this.fullTextRanking(query, options, candidates);
      fullText.chunkIds.forEach((chunkId, index) => {
        ranked.set(chunkId, { chunkId, fullTextRank: index + 1 });
      });
      if (fullText.ignoredWords.length > 0)
        notes.push(`common words not used for full-text ranking: ${fullText.ignoredWords.join(', ')}`);
    }
    if (mode !== 'full-text') {
      const embedder = this.embedder;
      if (!embedder) notes.push('vector search off (no embedder): full-text only');
      else if (this.vectorsMismatched()) notes.push('vector index is being rebuilt for a new embedder: full-text only');
      else {
        const [queryVector] = await embedder.embed([query]);
        if (queryVector && !isZeroVector(queryVector)) {
          this.vectorRanking(queryVector, options, candidates).forEach(({ chunkId, cosine }, index) => {
            const entry = ranked.get(chunkId) ?? { chunkId };
            ranked.set(chunkId, { ...entry, vectorRank: index + 1, cosine });
          });
        }
      }
    }
    if (ranked.size === 0) return [];

    const chunkRows = this.chunkRows([...ranked.keys()]);
    const nowMs = this.now().getTime();
    const bestPerItem = new Map<number, MemorySearchHit & { seq: number }>();
    for (const entry of ranked.values()) {
      const chunk = chunkRows.get(entry.chunkId);
      if (!chunk) continue;
      const fused =
        (entry.fullTextRank ? 1 / (RRF_K + entry.fullTextRank) : 0) +
        (entry.vectorRank ? 1 / (RRF_K + entry.vectorRank) : 0);
      const item = toItem(chunk.itemRow);
      const ageDays = Math.max(0, (nowMs - Date.parse(item.updatedAt)) / 86_400_000);
      const recency = RECENCY_BOOST * 0.5 ** (ageDays / RECENCY_HALF_LIFE_DAYS);
      const pin = item.pinned ? PIN_BOOST : 0;
      const score = fused * (1 + pin + recency);
      const previous = bestPerItem.get(chunk.itemRow.seq);
      if (previous && previous.score >= score) continue;
      const reasons: string[] = [];
      if (entry.fullTextRank) reasons.push(`full-text rank ${entry.fullTextRank}`);
      if (entry.vectorRank) reasons.push(`vector rank ${entry.vectorRank} (cosine ${(entry.cosine ?? 0).toFixed(2)})`);
      if (pin) reasons.push(`pinned (+${Math.round(pin * 100)}%)`);
      if (recency >= 0.01) reasons.push(`updated ${describeAge(ageDays)} (+${Math.round(recency * 100)}%)`);
      reasons.push(...notes);
      bestPerItem.set(chunk.itemRow.seq, {
        seq: chunk.itemRow.seq,
        item,
        score,
        reasons,
        excerpt: chunk.text,
        ...(chunk.line_start !== null && chunk.line_end !== null
          ? { lines: { start: chunk.line_start, end: chunk.line_end } }
          : {}),
      });
    }
    return [...bestPerItem.values()]
      .sort((a, b) => b.score - a.score || b.seq - a.seq)
      .slice(0, limit)
      .map(({ seq: _seq, ...hit }) => hit);
  }

  stats(namespace?: string): MemoryStats {
    const filter = namespace === undefined ? '' : 'WHERE namespace = ?';
    const parameters = namespace === undefined ? [] : [namespace];
    const rows = this.sql(
      `SELECT namespace, kind, count(*) AS items, sum(pinned) AS pinned, max(updated_at) AS last,
           (SELECT count(*) FROM memory_chunks c JOIN memory_items j ON j.seq = c.item_seq
             WHERE j.namespace = i.namespace AND j.kind = i.kind) AS chunks
         FROM memory_items i ${filter} GROUP BY namespace, kind ORDER BY namespace, kind`,
    ).all(...parameters) as Array<{
      namespace: string;
      kind: MemoryKind;
      items: number;
      pinned: number;
      last: string;
      chunks: number;
    }>;
    const files = new Map(
      (
        this.sql(`SELECT namespace, count(*) AS files FROM memory_files ${filter} GROUP BY namespace`).all(
          ...parameters,
        ) as Array<{ namespace: string; files: number }>
      ).map((row) => [row.namespace, row.files]),
    );
    const byNamespace = new Map<string, NamespaceStats>();
    for (const row of rows) {
      const entry = byNamespace.get(row.namespace) ?? {
        namespace: row.namespace,
        items: 0,
        chunks: 0,
        pinned: 0,
        files: files.get(row.namespace) ?? 0,
        byKind: {},
        lastUpdatedAt: null,
      };
      entry.items += row.items;
      entry.chunks += row.chunks;
      entry.pinned += row.pinned;
      entry.byKind[row.kind] = row.items;
      if (entry.lastUpdatedAt === null || row.last > entry.lastUpdatedAt) entry.lastUpdatedAt = row.last;
      byNamespace.set(row.namespace, entry);
    }
    const namespaces = [...byNamespace.values()];
    const recorded = this.vectors?.recorded() ?? null;
    const current = this.embedder ? this.identity() : null;
    return {
      namespaces,
      totals: {
        items: sum(namespaces.map((entry) => entry.items)),
        chunks: sum(namespaces.map((entry) => entry.chunks)),
        pinned: sum(namespaces.map((entry) => entry.pinned)),
        files: sum([...files.values()]),
      },
      vectors: {
        state: this.vectorState(),
        embedder: current,
        indexedWith: recorded && current && !sameIdentity(recorded, current) ? recorded : null,
        chunksWithoutVector: this.embedder ? this.chunksWithoutVector() : 0,
      },
    };
  }

  // ---- Vector index maintenance --------------------------------------------------------------------

  vectorState(): VectorIndexState {
    if (!this.embedder || !this.vectors) return 'off';
    return this.vectorsMismatched() || this.chunksWithoutVector() > 0 ? 'stale' : 'ready';
  }

  /**
   * Brings the vector index up to date with the current embedder: after an embedder change every chunk
   * is re-embedded (the old vectors are dropped first, dimensions never mix); otherwise only chunks
   * without a vector are embedded. Works in batches, each committed, so it can be cancelled and resumed.
   */
  async syncVectors(
    options: { onProgress?: (progress: VectorSyncProgress) => void; signal?: AbortSignal } = {},
  ): Promise<VectorSyncProgress> {
    if (!this.embedder || !this.vectors) return { done: 0, total: 0 };
    if (this.vectorsMismatched()) this.vectors.reset(this.identity());
    const total = this.chunksWithoutVector();
    let done = 0;
    options.onProgress?.({ done, total });
    const nextBatch = this.sql(
      `SELECT c.id, c.text, i.namespace, i.kind FROM memory_chunks c JOIN memory_items i ON i.seq = c.item_seq
       WHERE c.embedding IS NULL AND c.id > ? ORDER BY c.id LIMIT ?`,
    );
    let after = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const batch = nextBatch.all(after, EMBED_BATCH) as Array<{
        id: number;
        text: string;
        namespace: string;
        kind: string;
      }>;
      if (batch.length === 0) break;
      const vectors = await this.embedder.embed(
        batch.map((row) => row.text),
        options.signal,
      );
      this.db.transaction(() => {
        batch.forEach((row, index) => {
          const vector = vectors[index];
          // The chunk may have been deleted while the batch was being embedded.
          if (vector && this.sql('SELECT 1 FROM memory_chunks WHERE id = ?').get(row.id))
            this.vectors?.put(row.id, row.namespace, row.kind, vector);
        });
      })();
      after = batch[batch.length - 1]?.id ?? after;
      done += batch.length;
      options.onProgress?.({ done, total });
    }
    return { done, total };
  }

  // ---- Ingested files ------------------------------------------------------------------------------

  fileRecords(namespace: string, root: string): Map<string, IngestedFileRecord> {
    const rows = this.sql(
      'SELECT path, size, mtime_ms AS mtimeMs, content_hash AS contentHash, chunk_count AS chunkCount FROM memory_files WHERE namespace = ? AND root = ?',
    ).all(namespace, root) as Array<IngestedFileRecord & { path: string }>;
    return new Map(rows.map((row) => [row.path, row]));
  }

  /** Records that a file was seen unchanged (only its modification time moved). */
  touchFile(namespace: string, root: string, path: string, mtimeMs: number): void {
    this.sql('UPDATE memory_files SET mtime_ms = ? WHERE namespace = ? AND root = ? AND path = ?').run(
      mtimeMs,
      namespace,
      root,
      path,
    );
  }

  /** Replaces a file's chunks with new ones, atomically. */
  async replaceFile(
    file: { namespace: string; root: string; path: string; kind: MemoryKind } & IngestedFileRecord,
    chunks: readonly TextChunk[],
    signal?: AbortSignal,
  ): Promise<void> {
    const items: NewMemoryItem[] = chunks.map((chunk) => ({
      namespace: file.namespace,
      kind: file.kind,
      text: chunk.text,
      metadata: { source: 'ingest', root: file.root },
      provenance: { file: file.path, lineStart: chunk.lineStart, lineEnd: chunk.lineEnd },
    }));
    await this.insertMany(items, {
      signal,
      inTransaction: () => {
        this.removeFileItems(file.namespace, file.root, file.path);
        this.sql(
          `INSERT INTO memory_files (namespace, root, path, size, mtime_ms, content_hash, chunk_count, indexed_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (namespace, root, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
               content_hash = excluded.content_hash, chunk_count = excluded.chunk_count, indexed_at = excluded.indexed_at`,
        ).run(
          file.namespace,
          file.root,
          file.path,
          file.size,
          file.mtimeMs,
          file.contentHash,
          chunks.length,
          this.now().toISOString(),
        );
      },
    });
  }

  /** Forgets a file that was deleted, became ignored, or can no longer be indexed. */
  removeFile(namespace: string, root: string, path: string): void {
    this.db.transaction(() => {
      this.removeFileItems(namespace, root, path);
      this.sql('DELETE FROM memory_files WHERE namespace = ? AND root = ? AND path = ?').run(namespace, root, path);
    })();
  }

  // ---- Internals -----------------------------------------------------------------------------------

  /** Statements are prepared once and reused: ingesting and searching re-run the same few hundred times a second. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private identity(): EmbedderIdentity {
    if (!this.embedder) throw new Error('no embedder');
    return { id: this.embedder.id, dimension: this.embedder.dimension };
  }

  private vectorsMismatched(): boolean {
    const recorded = this.vectors?.recorded() ?? null;
    return this.embedder !== null && (recorded === null || !sameIdentity(recorded, this.identity()));
  }

  private chunksWithoutVector(): number {
    return (this.sql('SELECT count(*) AS count FROM memory_chunks WHERE embedding IS NULL').get() as { count: number })
      .count;
  }

  private row(id: string): ItemRow {
    const row = this.sql('SELECT * FROM memory_items WHERE id = ?').get(id) as ItemRow | undefined;
    if (!row) throw new MemoryItemNotFoundError(id);
    return row;
  }

  private chunkIds(itemSeq: number): number[] {
    return (this.sql('SELECT id FROM memory_chunks WHERE item_seq = ?').all(itemSeq) as Array<{ id: number }>).map(
      (row) => row.id,
    );
  }

  private findNearDuplicate(item: NewMemoryItem): MemoryItem | null {
    const match = fullTextQuery(item.text, 24);
    if (!match) return null;
    const rows = this.sql(
      `SELECT DISTINCT i.* FROM memory_chunks_fts f
           JOIN memory_chunks c ON c.id = f.rowid JOIN memory_items i ON i.seq = c.item_seq
         WHERE memory_chunks_fts MATCH ? AND i.namespace = ? AND i.kind = ?
         ORDER BY f.rank LIMIT 5`,
    ).all(match, item.namespace, item.kind) as ItemRow[];
    const best = rows
      .map((row) => ({ row, similarity: shingleSimilarity(row.text, item.text) }))
      .sort((a, b) => b.similarity - a.similarity)[0];
    return best && best.similarity >= NEAR_DUPLICATE_SIMILARITY ? toItem(best.row) : null;
  }

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
    if (!this.embedder || this.vectorsMismatched()) return prepared;
    const texts = prepared.flatMap((entry) => entry.chunks.map((chunk) => chunk.text));
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += EMBED_BATCH)
      vectors.push(...(await this.embedder.embed(texts.slice(start, start + EMBED_BATCH), signal)));
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
    const result = this.sql(
      `INSERT INTO memory_items (id, namespace, kind, text, text_hash, metadata, run_id, node_id, file, line_start,
           line_end, pinned, created_at, updated_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
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
    const insert = this.sql(
      'INSERT INTO memory_chunks (item_seq, ordinal, text, line_start, line_end) VALUES (?, ?, ?, ?, ?)',
    );
    prepared.chunks.forEach((chunk, ordinal) => {
      const chunkId = Number(insert.run(itemSeq, ordinal, chunk.text, chunk.lineStart, chunk.lineEnd).lastInsertRowid);
      const vector = prepared.vectors?.[ordinal];
      if (vector && this.vectors) this.vectors.put(chunkId, namespace, kind, vector);
    });
  }

  private removeChunks(itemSeq: number): void {
    this.vectors?.remove(this.chunkIds(itemSeq));
    this.sql('DELETE FROM memory_chunks WHERE item_seq = ?').run(itemSeq);
  }

  private deleteSync(ids: readonly string[]): number {
    let deleted = 0;
    const find = this.sql('SELECT seq FROM memory_items WHERE id = ?');
    const remove = this.sql('DELETE FROM memory_items WHERE seq = ?');
    for (const id of ids) {
      const row = find.get(id) as { seq: number } | undefined;
      if (!row) continue;
      this.removeChunks(row.seq);
      deleted += remove.run(row.seq).changes;
    }
    return deleted;
  }

  private removeFileItems(namespace: string, root: string, path: string): void {
    const ids = (
      this.sql(
        `SELECT id FROM memory_items WHERE namespace = ? AND file = ? AND json_extract(metadata, '$.source') = 'ingest'
             AND json_extract(metadata, '$.root') = ?`,
      ).all(namespace, path, root) as Array<{ id: string }>
    ).map((row) => row.id);
    this.deleteSync(ids);
  }

  /**
   * BM25 ranking. FTS5 scores every matching row before it can sort, so a word found in a large share
   * of the chunks would make a search cost time proportional to the whole index. Such common words
   * add little to BM25 anyway (their IDF is near zero): when the query has rarer words, only those are
   * matched; when every word is common, the newest matches are scored, up to a fixed number.
   */
  private fullTextRanking(
    query: string,
    options: MemorySearchOptions,
    count: number,
  ): { chunkIds: number[]; ignoredWords: string[] } {
    const terms = [...new Set(words(query))].slice(0, MAX_QUERY_TERMS);
    if (terms.length === 0) return { chunkIds: [], ignoredWords: [] };
    const chunkCount = (this.sql('SELECT max(id) AS count FROM memory_chunks').get() as { count: number | null }).count;
    const commonThreshold = Math.max(this.commonWordMinChunks, Math.floor((chunkCount ?? 0) * COMMON_WORD_SHARE));
    const countUpTo = this.sql(
      'SELECT count(*) AS count FROM (SELECT rowid FROM memory_chunks_fts WHERE memory_chunks_fts MATCH ? LIMIT ?)',
    );
    const isCommon = (term: string) =>
      (countUpTo.get(quoteTerm(term), commonThreshold + 1) as { count: number }).count > commonThreshold;
    const common = new Set(terms.filter(isCommon));
    const rare = terms.filter((term) => !common.has(term));
    const { where, parameters } = itemFilters(options, 'i.');
    const filters = where.map((condition) => `AND ${condition}`).join(' ');
    const from = `FROM memory_chunks_fts f JOIN memory_chunks c ON c.id = f.rowid JOIN memory_items i ON i.seq = c.item_seq
      WHERE memory_chunks_fts MATCH ? ${filters}`;
    if (rare.length > 0) {
      const rows = this.sql(`SELECT c.id ${from} ORDER BY f.rank LIMIT ?`).all(
        rare.map(quoteTerm).join(' OR '),
        ...parameters,
        count,
      ) as Array<{ id: number }>;
      return { chunkIds: rows.map((row) => row.id), ignoredWords: [...common] };
    }
    const rows = this.sql(`SELECT c.id, bm25(memory_chunks_fts) AS score ${from} ORDER BY f.rowid DESC LIMIT ?`).all(
      terms.map(quoteTerm).join(' OR '),
      ...parameters,
      commonThreshold,
    ) as Array<{ id: number; score: number }>;
    // bm25() is lower for better matches.
    rows.sort((a, b) => a.score - b.score);
    return { chunkIds: rows.slice(0, count).map((row) => row.id), ignoredWords: [] };
  }

  private vectorRanking(
    queryVector: Float32Array,
    options: MemorySearchOptions,
    count: number,
  ): Array<{ chunkId: number; cosine: number }> {
    if (!this.vectors) return [];
    // The bit scan is approximate: take twice the candidates needed, then re-rank them by exact cosine.
    // (sqlite-vec's cost grows with k, so more would cost latency for little gain in recall.)
    const candidateIds = this.vectors.candidates(queryVector, Math.min(4096, count * 2), options);
    if (candidateIds.length === 0) return [];
    const { where, parameters } = itemFilters({ since: options.since, until: options.until }, 'i.');
    const rows = this.sql(
      `SELECT c.id, c.embedding FROM memory_chunks c JOIN memory_items i ON i.seq = c.item_seq
         WHERE c.id IN (SELECT value FROM json_each(?)) AND c.embedding IS NOT NULL
         ${where.map((condition) => `AND ${condition}`).join(' ')}`,
    ).all(JSON.stringify(candidateIds), ...parameters) as Array<{ id: number; embedding: Buffer }>;
    return rows
      .map((row) => ({
        chunkId: row.id,
        cosine: cosineSimilarity(
          queryVector,
          new Float32Array(row.embedding.buffer, row.embedding.byteOffset, row.embedding.byteLength / 4),
        ),
      }))
      .sort((a, b) => b.cosine - a.cosine)
      .slice(0, count);
  }

  private chunkRows(
    chunkIds: readonly number[],
  ): Map<number, { text: string; line_start: number | null; line_end: number | null; itemRow: ItemRow }> {
    const rows = this.sql(
      `SELECT c.id AS chunk_id, c.text AS chunk_text, c.line_start AS chunk_line_start, c.line_end AS chunk_line_end, i.*
         FROM memory_chunks c JOIN memory_items i ON i.seq = c.item_seq
         WHERE c.id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(chunkIds)) as Array<
      ItemRow & { chunk_id: number; chunk_text: string; chunk_line_start: number | null; chunk_line_end: number | null }
    >;
    return new Map(
      rows.map((row) => [
        row.chunk_id,
        { text: row.chunk_text, line_start: row.chunk_line_start, line_end: row.chunk_line_end, itemRow: row },
      ]),
    );
  }
}

export interface IngestedFileRecord {
  size: number;
  mtimeMs: number;
  contentHash: string;
  chunkCount: number;
}

function itemFilters(
  options: { namespaces?: string[]; kinds?: MemoryKind[]; since?: string; until?: string },
  prefix = '',
): { where: string[]; parameters: unknown[] } {
  const where: string[] = [];
  const parameters: unknown[] = [];
  if (options.namespaces?.length) {
    where.push(`${prefix}namespace IN (${options.namespaces.map(() => '?').join(', ')})`);
    parameters.push(...options.namespaces);
  }
  if (options.kinds?.length) {
    where.push(`${prefix}kind IN (${options.kinds.map(() => '?').join(', ')})`);
    parameters.push(...options.kinds);
  }
  if (options.since) {
    where.push(`${prefix}updated_at >= ?`);
    parameters.push(options.since);
  }
  if (options.until) {
    where.push(`${prefix}updated_at <= ?`);
    parameters.push(options.until);
  }
  return { where, parameters };
}

function toItem(row: ItemRow): MemoryItem {
  const provenance: MemoryProvenance = {};
  if (row.run_id !== null) provenance.runId = row.run_id;
  if (row.node_id !== null) provenance.nodeId = row.node_id;
  if (row.file !== null) provenance.file = row.file;
  if (row.line_start !== null) provenance.lineStart = row.line_start;
  if (row.line_end !== null) provenance.lineEnd = row.line_end;
  return {
    id: row.id,
    namespace: row.namespace,
    kind: row.kind,
    text: row.text,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    provenance,
    pinned: row.pinned === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
  };
}

function sameIdentity(a: EmbedderIdentity, b: EmbedderIdentity): boolean {
  return a.id === b.id && a.dimension === b.dimension;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function describeAge(days: number): string {
  if (days < 1 / 24) return 'just now';
  if (days < 1) return `${Math.round(days * 24)} h ago`;
  return `${Math.round(days)} d ago`;
}
