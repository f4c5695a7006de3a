import { describe, expect, it } from 'vitest';
import type { MemoryItem } from '../port';
import { rankHits, type CandidateChunk } from './ranking';

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
