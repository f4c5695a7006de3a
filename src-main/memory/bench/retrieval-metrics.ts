/** Known-item retrieval figures over a set of queries, each with exactly one right answer. */
export interface RetrievalScore {
  queries: number;
  /** Mean of 1/rank of the right answer within the first `cutoff` results (0 when it is not there). */
  mrr: number;
  /** Share of queries whose right answer is within the first `cutoff` results. */
  recall: number;
}

/**
 * MRR@cutoff and recall@cutoff from the 1-based rank at which each query's answer came back (null:
 * not returned at all). An empty query set scores 0, not NaN.
 */
export function scoreRanks(ranks: ReadonlyArray<number | null>, cutoff = 10): RetrievalScore {
  let reciprocal = 0;
  let found = 0;
  for (const rank of ranks) {
    if (rank === null || rank > cutoff) continue;
    reciprocal += 1 / rank;
    found++;
  }
  const queries = ranks.length;
  return { queries, mrr: queries ? reciprocal / queries : 0, recall: queries ? found / queries : 0 };
}

/** The 1-based position of the first result that is the answer, or null when none is. */
export function rankOf<T>(results: readonly T[], isAnswer: (result: T) => boolean): number | null {
  const index = results.findIndex(isAnswer);
  return index < 0 ? null : index + 1;
}
