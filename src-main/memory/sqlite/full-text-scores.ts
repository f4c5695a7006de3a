/**
 * How the full-text rankings are weighed against each other. Tuned on the known-item evaluation's
 * tuning sample (`npm run bench:retrieval -- --tune`), never on the held-out one.
 */
export interface FullTextWeights {
  /** Weight of the BM25 score over the exact words of a chunk. */
  exact: number;
  /** Weight of the BM25 score over the stemmed words (porter: "caching" matches "cache"). */
  stemmed: number;
  /** Weight of the BM25 score over the fields (path, headings, symbols), whose own weights follow. */
  fields: number;
  path: number;
  headings: number;
  symbols: number;
  /** Extra share of score for a file's first chunk (its title and summary describe the whole file). */
  lead: number;
}

export const DEFAULT_FULL_TEXT_WEIGHTS: FullTextWeights = {
  exact: 1,
  stemmed: 0.5,
  fields: 0.15,
  path: 2,
  headings: 2,
  symbols: 0.5,
  lead: 0.25,
};

/** A chunk's bm25() value in one index: SQLite's convention, lower (more negative) is better. */
export interface Bm25Score {
  chunkId: number;
  bm25: number;
}

export interface FullTextScores {
  exact: readonly Bm25Score[];
  stemmed: readonly Bm25Score[];
  fields: readonly Bm25Score[];
}

/**
 * One full-text ranking from the three BM25 rankings: a chunk's relevance is the weighted sum of its
 * scores (a ranking that did not return it adds nothing), raised for a lead chunk. Scores, not ranks,
 * are summed: all three are BM25 over the same chunks, so they are on one scale, and a strong match in
 * one index should not be flattened to "rank 1" the way rank fusion would. Ties go to the newer chunk.
 */
export function combineFullTextScores(
  scores: FullTextScores,
  leadChunkIds: ReadonlySet<number>,
  weights: FullTextWeights,
): number[] {
  const relevance = new Map<number, number>();
  const add = (list: readonly Bm25Score[], weight: number) => {
    if (weight === 0) return;
    for (const { chunkId, bm25 } of list) relevance.set(chunkId, (relevance.get(chunkId) ?? 0) - weight * bm25);
  };
  add(scores.exact, weights.exact);
  add(scores.stemmed, weights.stemmed);
  add(scores.fields, weights.fields);
  return [...relevance]
    .map(([chunkId, value]) => ({ chunkId, value: leadChunkIds.has(chunkId) ? value * (1 + weights.lead) : value }))
    .sort((a, b) => b.value - a.value || b.chunkId - a.chunkId)
    .map((entry) => entry.chunkId);
}
