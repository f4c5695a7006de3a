import { describe, expect, it } from 'vitest';
import { rankOf, scoreRanks } from './retrieval-metrics';

describe('scoreRanks', () => {
  it('averages reciprocal ranks within the cutoff and counts what was found there', () => {
    expect(scoreRanks([1, 2, null, 11], 10)).toEqual({ queries: 4, mrr: (1 + 0.5) / 4, recall: 0.5 });
    expect(scoreRanks([])).toEqual({ queries: 0, mrr: 0, recall: 0 });
  });
});

describe('rankOf', () => {
  it('is the 1-based position of the first answer, or null', () => {
    expect(rankOf(['a', 'b', 'b'], (value) => value === 'b')).toBe(2);
    expect(rankOf(['a'], (value) => value === 'z')).toBeNull();
  });
});
