import { cosineSimilarity, isZeroVector } from '../embedder';
import type { MemorySearchHit, MemorySearchOptions } from '../port';
import { words } from '../text';
import { fullTextRanking } from './full-text';
import type { FullTextWeights } from './full-text-scores';
import { matchedTerms, rankHits, type CandidateChunk, type FusionWeights } from './ranking';
import { itemFilters, toItem, type ItemRow } from './rows';
import type { StatementCache } from './statements';
import type { VectorSync } from './vector-sync';

const MAX_QUERY_TERMS = 32;
/** The largest k sqlite-vec accepts in a nearest-neighbour query (its default limit). */
const MAX_VECTOR_CANDIDATES = 4096;

/** Where each ranking placed a chunk (1-based), before the chunk's text and item are read. */
interface RankedChunk {
  chunkId: number;
  fullTextRank?: number;
  vectorRank?: number;
  cosine?: number;
}

type ChunkWithItemRow = ItemRow & {
  chunk_id: number;
  chunk_text: string;
  chunk_line_start: number | null;
  chunk_line_end: number | null;
};

/**
 * Hybrid retrieval: ranks chunks by BM25 (three FTS5 indexes, see fullTextRanking) and, when an embedder
 * is configured, by vector similarity, then hands both rankings to `rankHits` to fuse, fold into
 * documents and explain; each hit then names the query words its excerpt matched.
 */
export class MemorySearch {
  constructor(
    private readonly statements: StatementCache,
    private readonly vectors: VectorSync,
    private readonly now: () => Date,
    private readonly settings: { commonWordMinChunks: number; weights: FullTextWeights; fusion: FusionWeights },
  ) {}

  async search(query: string, options: MemorySearchOptions = {}): Promise<MemorySearchHit[]> {
    const limit = options.limit ?? 10;
    const mode = options.mode ?? 'hybrid';
    // A file's chunks fold into one hit, so full-text ranking takes more chunks than hits to fill the page.
    // The vector side keeps its smaller count: sqlite-vec's cost grows with k.
    const fullTextCandidates = Math.max(limit * 5, 100);
    const vectorCandidates = Math.max(limit * 3, 30);
    const terms = [...new Set(words(query))].slice(0, MAX_QUERY_TERMS);
    const ranked = new Map<number, RankedChunk>();
    const notes: string[] = [];

    if (mode !== 'vector') {
      const fullText = fullTextRanking(this.statements, terms, options, fullTextCandidates, this.settings);
      fullText.chunkIds.forEach((chunkId, index) => {
        ranked.set(chunkId, { chunkId, fullTextRank: index + 1 });
      });
      if (fullText.ignoredWords.length > 0)
        notes.push(`common words not used for full-text ranking: ${fullText.ignoredWords.join(', ')}`);
    }
    if (mode !== 'full-text') {
      const { embedder } = this.vectors;
      if (!embedder) notes.push('vector search off (no embedder): full-text only');
      else if (this.vectors.mismatched())
        notes.push('vector index is being rebuilt for a new embedder: full-text only');
      else {
        const [queryVector] = await embedder.embed([query]);
        if (queryVector && !isZeroVector(queryVector)) {
          this.vectorRanking(queryVector, options, vectorCandidates).forEach(({ chunkId, cosine }, index) => {
            const entry = ranked.get(chunkId) ?? { chunkId };
            ranked.set(chunkId, { ...entry, vectorRank: index + 1, cosine });
          });
        }
      }
    }
    if (ranked.size === 0) return [];
    return rankHits(this.withChunks([...ranked.values()]), {
      now: this.now(),
      limit,
      notes,
      fusion: this.settings.fusion,
    }).map((hit) => ({
      ...hit,
      terms: matchedTerms(terms, hit.excerpt),
    }));
  }

  private vectorRanking(
    queryVector: Float32Array,
    options: MemorySearchOptions,
    count: number,
  ): Array<{ chunkId: number; cosine: number }> {
    const { index } = this.vectors;
    if (!index) return [];
    // The bit scan is approximate: take twice the candidates needed, then re-rank them by exact cosine.
    // (sqlite-vec's cost grows with k, so more would cost latency for little gain in recall.)
    const candidateIds = index.candidates(queryVector, Math.min(MAX_VECTOR_CANDIDATES, count * 2), options);
    if (candidateIds.length === 0) return [];
    const { where, parameters } = itemFilters({ since: options.since, until: options.until }, 'i.');
    const rows = this.statements
      .sql(
        `SELECT c.id, c.embedding FROM memory_chunks c JOIN memory_items i ON i.seq = c.item_seq
         WHERE c.id IN (SELECT value FROM json_each(?)) AND c.embedding IS NOT NULL
         ${where.map((condition) => `AND ${condition}`).join(' ')}`,
      )
      .all(JSON.stringify(candidateIds), ...parameters) as Array<{ id: number; embedding: Buffer }>;
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

  /** The ranked chunks with their text and item, in ranking order; chunks deleted meanwhile drop out. */
  private withChunks(ranked: readonly RankedChunk[]): CandidateChunk[] {
    const rows = this.statements
      .sql(
        `SELECT c.id AS chunk_id, c.text AS chunk_text, c.line_start AS chunk_line_start, c.line_end AS chunk_line_end, i.*
         FROM memory_chunks c JOIN memory_items i ON i.seq = c.item_seq
         WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ranked.map((entry) => entry.chunkId))) as ChunkWithItemRow[];
    const byChunkId = new Map(rows.map((row) => [row.chunk_id, row]));
    return ranked.flatMap(({ chunkId, ...ranks }) => {
      const row = byChunkId.get(chunkId);
      if (!row) return [];
      return [
        {
          ...ranks,
          itemSeq: row.seq,
          item: toItem(row),
          text: row.chunk_text,
          ...(row.chunk_line_start !== null && row.chunk_line_end !== null
            ? { lines: { start: row.chunk_line_start, end: row.chunk_line_end } }
            : {}),
        },
      ];
    });
  }
}
