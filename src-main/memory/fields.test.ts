import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkFields, withParts } from './fields';

describe('chunkFields', () => {
  it('takes the Markdown headings of a document and its path with the path split into words', () => {
    const fields = chunkFields(
      '# Retry policy\n\nText.\n\n## Backoff ##\nMore.\n#not-a-heading',
      'docs/retryPolicy.md',
    );
    expect(fields).toEqual({
      path: 'docs/retryPolicy.md docs retry policy md',
      headings: 'Retry policy\nBackoff',
      symbols: '',
    });
  });

  it('takes the names code declares, with their parts, and no control keywords', () => {
    const code = [
      'export function cartTotal(prices: number[]): number {',
      '  if (prices.length) {',
      '  }',
      '}',
      'class ShoppingCart {',
      '  async addItem(item: Item): Promise<void> {',
      '  }',
      '}',
      'def parse_config(path):',
      'const MAX_ITEMS = 3;',
    ].join('\n');
    expect(chunkFields(code, null)).toEqual({
      path: null,
      headings: '',
      symbols: [
        'cartTotal cart total',
        'ShoppingCart shopping cart',
        'parse_config',
        'MAX_ITEMS',
        'addItem add item',
      ].join('\n'),
    });
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: null }), (text, file) => {
        const fields = chunkFields(text, file);
        expect(typeof fields.headings).toBe('string');
      }),
    );
  });
});

describe('withParts', () => {
  it('adds the words inside a name only when there are any to add', () => {
    expect(withParts('parseHTTPHeader')).toBe('parseHTTPHeader parse http header');
    expect(withParts('plain')).toBe('plain');
    expect(withParts('already spaced')).toBe('already spaced');
  });
});
