import { describe, expect, it } from 'vitest';
import type { MemoryItem } from '../port';
import { documentKey, matchedTerms, rankHits, type CandidateChunk } from './ranking';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const LONG_AGO = '2000-01-01T00:00:00.000Z';

function item(id: string, overrides: Partial<MemoryItem> = {}): MemoryItem {
  return {
    id,
    namespace: 'p',
    kind: 'note',
    text: `text of ${id}`,
    metadata: {},
    provenance: {},
    pinned: false,
    createdAt: LONG_AGO,
    updatedAt: LONG_AGO,
    lastUsedAt: null,
    ...overrides,
  };
}

function candidate(id: string, seq: number, ranks: Partial<CandidateChunk>, itemOverrides?: Partial<MemoryItem>) {
  return { itemSeq: seq, item: item(id, itemOverrides), text: `chunk of ${id}`, ...ranks };
}

const context = { now: NOW, limit: 10, notes: [] };
const ids = (hits: ReturnType<typeof rankHits>) => hits.map((hit) => hit.item.id);

describe('rankHits', () => {
  it('fuses both rankings: found by both beats found by one, and a better rank beats a worse one', () => {
    const hits = rankHits(
      [
        candidate('text-only-first', 1, { fullTextRank: 1 }),
        candidate('both-late', 2, { fullTextRank: 3, vectorRank: 3, cosine: 0.5 }),
        candidate('vector-only-second', 3, { vectorRank: 2, cosine: 0.7 }),
      ],
      context,
    );
    expect(ids(hits)).toEqual(['both-late', 'text-only-first', 'vector-only-second']);
    expect(hits[0]?.score).toBeCloseTo(2 / 63, 10);
    expect(hits[1]?.score).toBeCloseTo(1 / 61, 10);
  });

  it('boosts a pinned item by half and says so', () => {
    const hits = rankHits(
      [candidate('better', 1, { fullTextRank: 1 }), candidate('pinned', 2, { fullTextRank: 5 }, { pinned: true })],
      context,
    );
    expect(ids(hits)).toEqual(['pinned', 'better']);
    expect(hits[0]?.score).toBeCloseTo(1.5 / 65, 10);
    expect(hits[0]?.reasons).toEqual(['full-text rank 5', 'pinned (+50%)']);
  });

  it('boosts recently updated items, halving the boost every 30 days', () => {
    const hits = rankHits(
      [
        candidate('old', 1, { fullTextRank: 1 }),
        candidate('just-now', 2, { fullTextRank: 2 }, { updatedAt: NOW.toISOString() }),
        candidate('month-old', 3, { fullTextRank: 3 }, { updatedAt: '2026-01-30T12:00:00.000Z' }),
      ],
      context,
    );
    expect(ids(hits)).toEqual(['just-now', 'month-old', 'old']);
    expect(hits[0]?.score).toBeCloseTo(1.25 / 62, 10);
    expect(hits[1]?.score).toBeCloseTo(1.125 / 63, 10);
    expect(hits.map((hit) => hit.reasons)).toEqual([
      ['full-text rank 2', 'updated just now (+25%)'],
      ['full-text rank 3', 'updated 30 d ago (+13%)'],
      ['full-text rank 1'],
    ]);
  });

  it('explains each hit: ranks, cosine, pin, age in hours, then the notes about the search', () => {
    const [hit] = rankHits(
      [
        candidate(
          'a',
          1,
          { fullTextRank: 2, vectorRank: 1, cosine: 0.8765 },
          { pinned: true, updatedAt: '2026-03-01T09:00:00.000Z' },
        ),
      ],
      { ...context, notes: ['common words not used for full-text ranking: the'] },
    );
    expect(hit?.reasons).toEqual([
      'full-text rank 2',
      'vector rank 1 (cosine 0.88)',
      'pinned (+50%)',
      'updated 3 h ago (+25%)',
      'common words not used for full-text ranking: the',
    ]);
  });

  it("keeps each item's best chunk, with its excerpt and lines", () => {
    const hits = rankHits(
      [
        { ...candidate('doc', 1, { fullTextRank: 4 }), text: 'weaker chunk', lines: { start: 1, end: 9 } },
        { ...candidate('doc', 1, { fullTextRank: 1 }), text: 'best chunk', lines: { start: 10, end: 19 } },
        { ...candidate('doc', 1, { fullTextRank: 1 }), text: 'equal chunk, found later' },
      ],
      context,
    );
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ excerpt: 'best chunk', lines: { start: 10, end: 19 } });
  });

  it('breaks ties by the newer item and stops at the limit', () => {
    const hits = rankHits(
      [
        candidate('older', 1, { fullTextRank: 1 }),
        candidate('newer', 2, { vectorRank: 1, cosine: 0.9 }),
        candidate('third', 3, { fullTextRank: 2 }),
      ],
      { ...context, limit: 2 },
    );
    expect(ids(hits)).toEqual(['newer', 'older']);
    expect(hits[0]).not.toHaveProperty('itemSeq');
    expect(hits[1]).not.toHaveProperty('lines');
  });
});

describe('document-aware ranking', () => {
  const ingested = (file: string, root = '/p') => ({
    metadata: { source: 'ingest', root },
    provenance: { file },
  });
  const chunk = (id: string, seq: number, rank: number, file: string, start: number, root?: string) => ({
    ...candidate(id, seq, { fullTextRank: rank }, ingested(file, root)),
    text: `lines ${start}+ of ${file}`,
    lines: { start, end: start + 9 },
  });

  it("folds an ingested file's chunks into one hit: the best chunk, with the other chunks' lines", () => {
    const hits = rankHits(
      [
        chunk('a-2', 2, 1, 'a.md', 20),
        chunk('b-1', 4, 2, 'b.md', 1),
        chunk('a-3', 3, 3, 'a.md', 40),
        chunk('a-1', 1, 4, 'a.md', 1),
      ],
      context,
    );
    expect(ids(hits)).toEqual(['a-2', 'b-1']);
    expect(hits[0]).toMatchObject({ excerpt: 'lines 20+ of a.md', lines: { start: 20, end: 29 } });
    expect(hits[0]?.otherLines).toEqual([
      { start: 1, end: 10 },
      { start: 40, end: 49 },
    ]);
    expect(hits[1]).not.toHaveProperty('otherLines');
  });

  it('keeps the same path ingested from another root, and memories that only cite a file, as hits of their own', () => {
    const hits = rankHits(
      [
        chunk('here', 1, 1, 'a.md', 1),
        chunk('elsewhere', 2, 2, 'a.md', 1, '/q'),
        candidate('note-1', 3, { fullTextRank: 3 }, { provenance: { file: 'a.md' } }),
        candidate('note-2', 4, { fullTextRank: 4 }, { provenance: { file: 'a.md' } }),
      ],
      context,
    );
    expect(ids(hits)).toEqual(['here', 'elsewhere', 'note-1', 'note-2']);
    expect(documentKey(item('x', ingested('a.md')), 7)).toBe(documentKey(item('y', ingested('a.md')), 8));
    expect(documentKey(item('x'), 7)).not.toBe(documentKey(item('y'), 8));
  });
});

describe('matchedTerms', () => {
  it("lists the text's words that are a query term or share its stem, once each, lower-cased", () => {
    expect(matchedTerms(['index', 'retry'], 'Indexes: the index retries; an indexing bug. Retry!')).toEqual([
      'indexes',
      'index',
      'retries',
      'indexing',
      'retry',
    ]);
    expect(matchedTerms(['go'], 'going gone go')).toEqual(['go']);
  });
});
