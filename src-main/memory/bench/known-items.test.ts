import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { descriptionQuery, isVerbatimCopy } from './known-items';

describe('descriptionQuery', () => {
  it('is the description, whitespace folded, when it has three distinct words or more', () => {
    expect(descriptionQuery({ description: '  Fast,\n unopinionated web framework ' })).toBe(
      'Fast, unopinionated web framework',
    );
    expect(descriptionQuery({ description: 'glob glob glob' })).toBeNull();
    expect(descriptionQuery({ description: 42 })).toBeNull();
    expect(descriptionQuery({})).toBeNull();
  });

  it('never throws on any manifest, and any query it gives is trimmed', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (manifest, description) => {
        for (const input of [manifest, { description }]) {
          const query = descriptionQuery(input);
          if (query !== null) expect(query).toBe(query.trim());
        }
      }),
    );
  });
});

describe('isVerbatimCopy', () => {
  it('tells whether the README holds the description word for word', () => {
    const item = { packageName: 'p', target: 'p/README.md', query: 'Parse a URL.' };
    expect(isVerbatimCopy({ ...item, readme: '# p\n\n> parse a url, fast' })).toBe(true);
    expect(isVerbatimCopy({ ...item, readme: '# p\n\nparses URLs' })).toBe(false);
  });
});
