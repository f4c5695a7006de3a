import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weightedMatch, weightQueryTerms } from './query-terms';

describe('weightQueryTerms', () => {
  it('weighs words written like identifiers more, once per distinct lower-cased word', () => {
    expect(weightQueryTerms('Why does cartTotal fail with WR_4411? why CRC32', 2)).toEqual([
      { term: 'why', weight: 1 },
      { term: 'does', weight: 1 },
      { term: 'carttotal', weight: 2 },
      { term: 'fail', weight: 1 },
      { term: 'with', weight: 1 },
      { term: 'wr_4411', weight: 2 },
      { term: 'crc32', weight: 2 },
    ]);
    expect(weightQueryTerms('a b c d', 2, 2).map((entry) => entry.term)).toEqual(['a', 'b']);
  });
});

describe('weightedMatch', () => {
  it('quotes each term and repeats it as often as it weighs', () => {
    expect(
      weightedMatch([
        { term: 'cart', weight: 1 },
        { term: 'wr_4411', weight: 2 },
      ]),
    ).toBe('"cart" OR "wr_4411" OR "wr_4411"');
  });

  it('only ever produces quoted words joined by OR, whatever the query', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 3 }), (query, weight) => {
        const match = weightedMatch(weightQueryTerms(query, weight));
        expect(match === '' || /^"[\p{L}\p{N}_]+"( OR "[\p{L}\p{N}_]+")*$/u.test(match)).toBe(true);
      }),
    );
  });
});
