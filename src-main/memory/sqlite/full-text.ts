import type { MemorySearchOptions } from '../port';
import { quoteTerm } from '../text';
import { combineFullTextScores, type Bm25Score, type FullTextWeights } from './full-text-scores';
import { itemFilters } from './rows';
import type { StatementCache } from './statements';

/** A query word found in more than this share of all chunks is "common" (see fullTextRanking)... */
const COMMON_WORD_SHARE = 0.02;
/** ...but never below this many chunks, so small memories always rank with every word. */
export const COMMON_WORD_MIN_CHUNKS = 2000;

export interface FullTextRanking {
  /** Best first. */
  chunkIds: number[];
  ignoredWords: string[];
}

/**
 * Full-text ranking over three FTS5 indexes of the chunks (exact words, stemmed words, and the fields:
 * path, headings, symbols), combined by combineFullTextScores. FTS5 scores every matching row before it
 * can sort, so a word found in a large share of the chunks would make a search cost time proportional
 * to the whole index. Such common words add little to BM25 anyway (their IDF is near zero): when the
 * query has rarer words, only those are matched; when every word is common, the newest matches of the
 * exact index are scored, up to a fixed number.
 */
export function fullTextRanking(
  statements: StatementCache,
  terms: readonly string[],
  options: MemorySearchOptions,
  count: number,
  settings: { commonWordMinChunks: number; weights: FullTextWeights },
): FullTextRanking {
  if (terms.length === 0) return { chunkIds: [], ignoredWords: [] };
  const chunkCount = (statements.sql('SELECT max(id) AS count FROM memory_chunks').get() as { count: number | null })
    .count;
  const commonThreshold = Math.max(settings.commonWordMinChunks, Math.floor((chunkCount ?? 0) * COMMON_WORD_SHARE));
  const countUpTo = statements.sql(
    'SELECT count(*) AS count FROM (SELECT rowid FROM memory_chunks_fts WHERE memory_chunks_fts MATCH ? LIMIT ?)',
  );
  const isCommon = (term: string) =>
    (countUpTo.get(quoteTerm(term), commonThreshold + 1) as { count: number }).count > commonThreshold;
  const common = new Set(terms.filter(isCommon));
  const rare = terms.filter((term) => !common.has(term));
  const { where, parameters } = itemFilters(options, 'i.');
  const filters = where.map((condition) => `AND ${condition}`).join(' ');
  const matching = (table: string) =>
    `FROM ${table} f JOIN memory_chunks c ON c.id = f.rowid JOIN memory_items i ON i.seq = c.item_seq
     WHERE ${table} MATCH ? ${filters}`;

  if (rare.length === 0) {
    const rows = statements
      .sql(
        `SELECT c.id AS chunkId, bm25(memory_chunks_fts) AS bm25 ${matching('memory_chunks_fts')} ORDER BY f.rowid DESC LIMIT ?`,
      )
      .all(terms.map(quoteTerm).join(' OR '), ...parameters, commonThreshold) as Bm25Score[];
    const exact = rows.sort((a, b) => a.bm25 - b.bm25).slice(0, count);
    return { chunkIds: rank(statements, { exact, stemmed: [], fields: [] }, settings.weights), ignoredWords: [] };
  }
  const match = rare.map(quoteTerm).join(' OR ');
  // ORDER BY rank lets FTS5 rank inside the index (several times faster than sorting on a bm25() column);
  // `rank MATCH` sets the ranking function, with the column weights, for this one query.
  const top = (table: string, ranking: string) =>
    statements
      .sql(`SELECT c.id AS chunkId, f.rank AS bm25 ${matching(table)} AND f.rank MATCH ? ORDER BY f.rank LIMIT ?`)
      .all(match, ...parameters, ranking, count) as Bm25Score[];
  const { weights } = settings;
  return {
    chunkIds: rank(
      statements,
      {
        exact: top('memory_chunks_fts', 'bm25()'),
        stemmed: weights.stemmed ? top('memory_chunks_stem', 'bm25()') : [],
        fields: weights.fields
          ? top(
              'memory_chunks_fields',
              `bm25(${[weights.path, weights.headings, weights.symbols].map(Number).join(', ')})`,
            )
          : [],
      },
      weights,
    ).slice(0, count),
    ignoredWords: [...common],
  };
}

function rank(
  statements: StatementCache,
  scores: Parameters<typeof combineFullTextScores>[0],
  weights: FullTextWeights,
): number[] {
  const ids = [...new Set([...scores.exact, ...scores.stemmed, ...scores.fields].map((entry) => entry.chunkId))];
  return combineFullTextScores(scores, leadChunks(statements, ids), weights);
}

/**
 * The chunks among `ids` that open their item, and for ingested files (one item per chunk) the item
 * that opens the file: the first lines of a README or a module say what the whole file is about.
 */
function leadChunks(statements: StatementCache, ids: readonly number[]): Set<number> {
  if (ids.length === 0) return new Set();
  const rows = statements
    .sql(
      `SELECT c.id FROM memory_chunks c JOIN memory_items i ON i.seq = c.item_seq
       WHERE c.id IN (SELECT value FROM json_each(?)) AND c.ordinal = 0
         AND (i.file IS NULL OR i.line_start IS NULL OR i.line_start =
           (SELECT min(j.line_start) FROM memory_items j WHERE j.namespace = i.namespace AND j.file = i.file))`,
    )
    .all(JSON.stringify(ids)) as Array<{ id: number }>;
  return new Set(rows.map((row) => row.id));
}
