import { cosineSimilarity, isZeroVector } from '../embedder';
import type { MemorySearchHit, MemorySearchOptions } from '../port';
import { quoteTerm, words } from '../text';
import { rankHits, type CandidateChunk } from './ranking';
import { itemFilters, toItem, type ItemRow } from './rows';
import type { StatementCache } from './statements';
import type { VectorSync } from './vector-sync';

const MAX_QUERY_TERMS = 32;
/** A query word found in more than this share of all chunks is "common" (see fullTextRanking)... */
const COMMON_WORD_SHARE = 0.02;
/** ...but never below this many chunks, so small memories always rank with every word. */
export const COMMON_WORD_MIN_CHUNKS = 2000;
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
 * Hybrid retrieval: ranks chunks by BM25 (FTS5) and, when an embedder is configured, by vector
 * similarity, then hands both rankings to `rankHits` to fuse and explain.
 */
export class MemorySearch {
  constructor(
    private readonly statements: StatementCache,
    private readonly vectors: VectorSync,
    private readonly now: () => Date,
    private readonly commonWordMinChunks: number,
  ) {}

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
      const { embedder } = this.vectors;
      if (!embedder) notes.push('vector search off (no embedder): full-text only');
      else if (this.vectors.mismatched())
        notes.push('vector index is being rebuilt for a new embedder: full-text only');
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
    return rankHits(this.withChunks([...ranked.values()]), { now: this.now(), limit, notes });
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
    const chunkCount = (
      this.statements.sql('SELECT max(id) AS count FROM memory_chunks').get() as { count: number | null }
    ).count;
    const commonThreshold = Math.max(this.commonWordMinChunks, Math.floor((chunkCount ?? 0) * COMMON_WORD_SHARE));
    const countUpTo = this.statements.sql(
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
      const rows = this.statements
        .sql(`SELECT c.id ${from} ORDER BY f.rank LIMIT ?`)
        .all(rare.map(quoteTerm).join(' OR '), ...parameters, count) as Array<{ id: number }>;
      return { chunkIds: rows.map((row) => row.id), ignoredWords: [...common] };
    }
    const rows = this.statements
      .sql(`SELECT c.id, bm25(memory_chunks_fts) AS score ${from} ORDER BY f.rowid DESC LIMIT ?`)
      .all(terms.map(quoteTerm).join(' OR '), ...parameters, commonThreshold) as Array<{ id: number; score: number }>;
    // bm25() is lower for better matches.
    rows.sort((a, b) => a.score - b.score);
    return { chunkIds: rows.slice(0, count).map((row) => row.id), ignoredWords: [] };
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
