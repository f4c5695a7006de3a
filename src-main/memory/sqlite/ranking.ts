import type { MemoryItem, MemorySearchHit } from '../port';

/** Reciprocal rank fusion constant: 60 is the value from the original RRF paper and works without tuning. */
const RRF_K = 60;
const PIN_BOOST = 0.5;
const RECENCY_BOOST = 0.25;
const RECENCY_HALF_LIFE_DAYS = 30;
/** A recency boost below this is noise, not worth a reason. */
const SMALLEST_RECENCY_REASON = 0.01;
const DAY_MS = 86_400_000;

/** One chunk found by full-text search, vector search or both, with the item it belongs to. */
export interface CandidateChunk {
  /** The item's insertion order: among equal scores, the newer item ranks first. */
  itemSeq: number;
  item: MemoryItem;
  text: string;
  lines?: { start: number; end: number };
  /** 1-based positions in each ranking; absent when that ranking did not find the chunk. */
  fullTextRank?: number;
  vectorRank?: number;
  cosine?: number;
}

export interface RankingContext {
  now: Date;
  limit: number;
  /** Said of every hit: how the search itself was limited (no embedder, common words left out…). */
  notes: readonly string[];
}

/**
 * Orders search results: fuses the full-text and vector ranks of each chunk with reciprocal rank
 * fusion, boosts pinned and recently updated items, keeps each item's best chunk, and says why each hit
 * ranked where it did. Rank fusion needs no score normalisation, so BM25 and cosine never have to be
 * made comparable.
 */
export function rankHits(candidates: readonly CandidateChunk[], context: RankingContext): MemorySearchHit[] {
  const nowMs = context.now.getTime();
  const bestPerItem = new Map<number, MemorySearchHit & { itemSeq: number }>();
  for (const candidate of candidates) {
    const fused = reciprocalRank(candidate.fullTextRank) + reciprocalRank(candidate.vectorRank);
    const ageDays = Math.max(0, (nowMs - Date.parse(candidate.item.updatedAt)) / DAY_MS);
    const recency = RECENCY_BOOST * 0.5 ** (ageDays / RECENCY_HALF_LIFE_DAYS);
    const pin = candidate.item.pinned ? PIN_BOOST : 0;
    const score = fused * (1 + pin + recency);
    const previous = bestPerItem.get(candidate.itemSeq);
    if (previous && previous.score >= score) continue;
    bestPerItem.set(candidate.itemSeq, {
      itemSeq: candidate.itemSeq,
      item: candidate.item,
      score,
      reasons: [...rankReasons(candidate, pin, recency, ageDays), ...context.notes],
      excerpt: candidate.text,
      ...(candidate.lines ? { lines: candidate.lines } : {}),
    });
  }
  return [...bestPerItem.values()]
    .sort((a, b) => b.score - a.score || b.itemSeq - a.itemSeq)
    .slice(0, context.limit)
    .map(({ itemSeq: _itemSeq, ...hit }) => hit);
}

function reciprocalRank(rank: number | undefined): number {
  return rank ? 1 / (RRF_K + rank) : 0;
}

function rankReasons(candidate: CandidateChunk, pin: number, recency: number, ageDays: number): string[] {
  const reasons: string[] = [];
  if (candidate.fullTextRank) reasons.push(`full-text rank ${candidate.fullTextRank}`);
  if (candidate.vectorRank)
    reasons.push(`vector rank ${candidate.vectorRank} (cosine ${(candidate.cosine ?? 0).toFixed(2)})`);
  if (pin) reasons.push(`pinned (+${Math.round(pin * 100)}%)`);
  if (recency >= SMALLEST_RECENCY_REASON)
    reasons.push(`updated ${describeAge(ageDays)} (+${Math.round(recency * 100)}%)`);
  return reasons;
}

function describeAge(days: number): string {
  if (days < 1 / 24) return 'just now';
  if (days < 1) return `${Math.round(days * 24)} h ago`;
  return `${Math.round(days)} d ago`;
}
