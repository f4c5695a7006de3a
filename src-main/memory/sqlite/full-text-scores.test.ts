import { describe, expect, it } from 'vitest';
import { combineFullTextScores, DEFAULT_FULL_TEXT_WEIGHTS, type FullTextWeights } from './full-text-scores';

const weights: FullTextWeights = { ...DEFAULT_FULL_TEXT_WEIGHTS, exact: 1, stemmed: 0.5, fields: 0.25, lead: 0.5 };

describe('combineFullTextScores', () => {
  it('sums the weighted BM25 scores of each chunk (lower bm25 is better), missing rankings adding nothing', () => {
    const order = combineFullTextScores(
      {
        exact: [
          { chunkId: 1, bm25: -4 },
          { chunkId: 2, bm25: -3 },
        ],
        stemmed: [
          { chunkId: 2, bm25: -3 },
          { chunkId: 3, bm25: -6 },
        ],
        fields: [{ chunkId: 1, bm25: -1 }],
      },
      new Set(),
      weights,
    );
    // 1: 4 + 0.25 = 4.25; 2: 3 + 1.5 = 4.5; 3: 3.
    expect(order).toEqual([2, 1, 3]);
  });

  it('raises a lead chunk by the lead share, and breaks ties by the newer chunk', () => {
    const scores = { exact: [1, 2, 3].map((chunkId) => ({ chunkId, bm25: -2 })), stemmed: [], fields: [] };
    expect(combineFullTextScores(scores, new Set([1]), weights)).toEqual([1, 3, 2]);
  });

  it('ignores a ranking whose weight is 0', () => {
    const order = combineFullTextScores(
      { exact: [{ chunkId: 1, bm25: -1 }], stemmed: [{ chunkId: 2, bm25: -9 }], fields: [] },
      new Set(),
      { ...weights, stemmed: 0 },
    );
    expect(order).toEqual([1]);
  });
});
