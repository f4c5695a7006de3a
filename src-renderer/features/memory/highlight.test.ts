import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupHitsByFile, highlightExcerpt } from './highlight';

function hit(id: string, file?: string, namespace = 'p') {
  return {
    item: {
      id,
      namespace,
      kind: 'document' as const,
      text: id,
      metadata: {},
      provenance: file ? { file } : {},
      pinned: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      lastUsedAt: null,
    },
    score: 1,
    reasons: [],
    excerpt: id,
  };
}

describe('highlightExcerpt', () => {
  it('marks whole matched words, case-insensitively, and numbers the lines from the first line', () => {
    const lines = highlightExcerpt('# Caching\nThe cache keeps cached values.\nnothing here', ['cache', 'caching'], 40);
    expect(lines.map((line) => [line.number, line.matches])).toEqual([
      [40, true],
      [41, true],
      [42, false],
    ]);
    expect(lines[1]?.segments).toEqual([
      { text: 'The ', match: false },
      { text: 'cache', match: true },
      { text: ' keeps cached values.', match: false },
    ]);
    expect(highlightExcerpt('a', [])[0]?.number).toBeNull();
  });

  it('gives back the text it was given, for any text and any terms', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string()), (text, terms) => {
        const lines = highlightExcerpt(text, terms);
        expect(lines.map((line) => line.segments.map((segment) => segment.text).join('')).join('\n')).toBe(text);
      }),
    );
  });
});

describe('groupHitsByFile', () => {
  it('groups hits of one file in the order of their best hit; memories without a file stand alone', () => {
    const groups = groupHitsByFile([
      hit('a1', 'src/a.ts'),
      hit('note'),
      hit('b1', 'src/b.ts'),
      hit('a2', 'src/a.ts'),
      hit('other-project', 'src/a.ts', 'q'),
    ]);
    expect(groups.map((group) => [group.file, group.hits.map((entry) => entry.item.id)])).toEqual([
      ['src/a.ts', ['a1', 'a2']],
      [null, ['note']],
      ['src/b.ts', ['b1']],
      ['src/a.ts', ['other-project']],
    ]);
  });
});
