import type { Embedder, EmbedderIdentity } from '../embedder';
import type { StatementCache } from './statements';
import { hasVectorExtension, VectorIndex } from './vector-index';

/** Texts embedded per call: large enough to amortise the call, small enough to cancel between batches. */
const EMBED_BATCH = 256;

export type VectorIndexState =
  /** No embedder: full-text search only. */
  | 'off'
  /** Every chunk has a vector from the current embedder. */
  | 'ready'
  /** Some chunks lack a vector, or they were built by another embedder: run `syncVectors`. */
  | 'stale';

export interface VectorSyncProgress {
  done: number;
  total: number;
}

/**
 * Keeps the vector index in step with the embedder: embeds new chunks as they are written, tells
 * whether the stored vectors still fit the current embedder, and re-embeds what does not.
 */
export class VectorSync {
  /** null: no vectors to search or delete (no embedder, and no earlier index or no sqlite-vec). */
  readonly index: VectorIndex | null;

  constructor(
    private readonly statements: StatementCache,
    readonly embedder: Embedder | null,
  ) {
    const { db } = statements;
    if (embedder) {
      if (!hasVectorExtension(db))
        throw new Error('Vector search needs the sqlite-vec extension loaded on the database connection');
      this.index = new VectorIndex(statements);
      if (this.index.recorded() === null) this.index.reset(this.identity());
    } else {
      // Without an embedder, vectors from an earlier one are kept (for when it comes back) but still
      // deleted along with their chunks, when sqlite-vec is there to do it.
      const tableExists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'memory_vectors'").get() !== undefined;
      this.index = tableExists && hasVectorExtension(db) ? new VectorIndex(statements) : null;
    }
  }

  /** The current embedder, or null in full-text-only mode. */
  current(): EmbedderIdentity | null {
    return this.embedder ? { id: this.embedder.id, dimension: this.embedder.dimension } : null;
  }

  /** The embedder the stored vectors were built with, when it is not the current one. */
  indexedWithOther(): EmbedderIdentity | null {
    const recorded = this.index?.recorded() ?? null;
    const current = this.current();
    return recorded && current && !sameIdentity(recorded, current) ? recorded : null;
  }

  /** True while the stored vectors come from another embedder (or none was recorded): they must not be compared. */
  mismatched(): boolean {
    const recorded = this.index?.recorded() ?? null;
    return this.embedder !== null && (recorded === null || !sameIdentity(recorded, this.identity()));
  }

  state(): VectorIndexState {
    if (!this.embedder || !this.index) return 'off';
    return this.mismatched() || this.chunksWithoutVector() > 0 ? 'stale' : 'ready';
  }

  chunksWithoutVector(): number {
    return (
      this.statements.sql('SELECT count(*) AS count FROM memory_chunks WHERE embedding IS NULL').get() as {
        count: number;
      }
    ).count;
  }

  /**
   * Vectors for chunks about to be written, or null when they must wait for `sync`: without an
   * embedder, or while the index is rebuilt for a new one (new vectors must not join the old index).
   */
  async embedForWrite(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[] | null> {
    if (!this.embedder || this.mismatched()) return null;
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += EMBED_BATCH)
      vectors.push(...(await this.embedder.embed(texts.slice(start, start + EMBED_BATCH), signal)));
    return vectors;
  }

  /**
   * Brings the vector index up to date with the current embedder: after an embedder change every chunk
   * is re-embedded (the old vectors are dropped first, dimensions never mix); otherwise only chunks
   * without a vector are embedded. Works in batches, each committed, so it can be cancelled and resumed.
   */
  async sync(
    options: { onProgress?: (progress: VectorSyncProgress) => void; signal?: AbortSignal } = {},
  ): Promise<VectorSyncProgress> {
    const { embedder, index } = this;
    if (!embedder || !index) return { done: 0, total: 0 };
    if (this.mismatched()) index.reset(this.identity());
    const total = this.chunksWithoutVector();
    let done = 0;
    options.onProgress?.({ done, total });
    const nextBatch = this.statements.sql(
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
      const vectors = await embedder.embed(
        batch.map((row) => row.text),
        options.signal,
      );
      this.statements.transaction(() => {
        batch.forEach((row, position) => {
          const vector = vectors[position];
          // The chunk may have been deleted while the batch was being embedded.
          if (vector && this.statements.sql('SELECT 1 FROM memory_chunks WHERE id = ?').get(row.id))
            index.put(row.id, row.namespace, row.kind, vector);
        });
      });
      after = batch[batch.length - 1]?.id ?? after;
      done += batch.length;
      options.onProgress?.({ done, total });
    }
    return { done, total };
  }

  private identity(): EmbedderIdentity {
    const current = this.current();
    if (!current) throw new Error('no embedder');
    return current;
  }
}

function sameIdentity(a: EmbedderIdentity, b: EmbedderIdentity): boolean {
  return a.id === b.id && a.dimension === b.dimension;
}
