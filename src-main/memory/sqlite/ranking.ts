import type { MemoryItem, MemorySearchHit } from '../port';
import { words } from '../text';

/**
 * How the full-text and vector rankings are fused (reciprocal rank fusion: weight / (k + rank)). Tuned on
 * the known-item evaluation's tuning sample (`npm run bench:retrieval -- --tune`) in hybrid mode.
 */
export interface FusionWeights {
  rrfK: number;
  vectorWeight: number;
}

export const DEFAULT_FUSION: FusionWeights = { rrfK: 60, vectorWeight: 1 };
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
  fusion?: FusionWeights;
}

/**
 * Orders search results: fuses the full-text and vector ranks of each chunk with reciprocal rank
 * fusion, boosts pinned and recently updated items, folds each document's chunks into one hit (its best
 * chunk, see documentKey), and says why each hit ranked where it did. Rank fusion needs no score
 * normalisation, so BM25 and cosine never have to be made comparable.
 */
export function rankHits(candidates: readonly CandidateChunk[], context: RankingContext): MemorySearchHit[] {
  const nowMs = context.now.getTime();
  const { rrfK, vectorWeight } = context.fusion ?? DEFAULT_FUSION;
  const bestPerDocument = new Map<string, MemorySearchHit & { itemSeq: number; others: Array<LineRange | null> }>();
  for (const candidate of candidates) {
    const fused =
      reciprocalRank(candidate.fullTextRank, rrfK) + vectorWeight * reciprocalRank(candidate.vectorRank, rrfK);
    const ageDays = Math.max(0, (nowMs - Date.parse(candidate.item.updatedAt)) / DAY_MS);
    const recency = RECENCY_BOOST * 0.5 ** (ageDays / RECENCY_HALF_LIFE_DAYS);
    const pin = candidate.item.pinned ? PIN_BOOST : 0;
    const score = fused * (1 + pin + recency);
    const key = documentKey(candidate.item, candidate.itemSeq);
    const previous = bestPerDocument.get(key);
    if (previous && previous.score >= score) {
      previous.others.push(candidate.lines ?? null);
      continue;
    }
    bestPerDocument.set(key, {
      itemSeq: candidate.itemSeq,
      item: candidate.item,
      score,
      reasons: [...rankReasons(candidate, pin, recency, ageDays), ...context.notes],
      excerpt: candidate.text,
      ...(candidate.lines ? { lines: candidate.lines } : {}),
      others: previous ? [...previous.others, previous.lines ?? null] : [],
    });
  }
  return [...bestPerDocument.values()]
    .sort((a, b) => b.score - a.score || b.itemSeq - a.itemSeq)
    .slice(0, context.limit)
    .map(({ itemSeq: _itemSeq, others, ...hit }) => {
      const otherLines = distinctRanges(others, hit.lines);
      return otherLines.length > 0 ? { ...hit, otherLines } : hit;
    });
}

type LineRange = { start: number; end: number };

/**
 * What counts as one document in the results: an ingested file (all of its chunks, one item each), or
 * else the item itself. Memories that merely cite a file stay separate hits: they are distinct notes.
 */
export function documentKey(item: MemoryItem, itemSeq: number): string {
  const { file } = item.provenance;
  if (file !== undefined && item.metadata.source === 'ingest')
    return JSON.stringify([item.namespace, item.metadata.root ?? null, file]);
  return `item ${itemSeq}`;
}

function distinctRanges(ranges: ReadonlyArray<LineRange | null>, best: LineRange | undefined): LineRange[] {
  const seen = new Set(best ? [`${best.start}-${best.end}`] : []);
  const result: LineRange[] = [];
  for (const range of ranges) {
    if (!range || seen.has(`${range.start}-${range.end}`)) continue;
    seen.add(`${range.start}-${range.end}`);
    result.push(range);
  }
  return result.sort((a, b) => a.start - b.start);
}

/**
 * The words of `text` that match one of the query's terms: the same word, or one that looks like the
 * same word with another ending (a shared start of four letters or more, then at most three letters on
 * either side: "retry" and "retries", "cache" and "caching"). It is how the full-text index's porter
 * stemmer matched them, approximately: this is for highlighting, not for ranking.
 */
export function matchedTerms(queryTerms: readonly string[], text: string): string[] {
  const terms = [...new Set(queryTerms.map((term) => term.toLowerCase()))];
  const matched = new Set<string>();
  for (const word of words(text)) {
    if (matched.has(word)) continue;
    if (terms.some((term) => term === word || sharesStem(term, word))) matched.add(word);
  }
  return [...matched];
}

const STEM_MIN_LENGTH = 4;
const MAX_ENDING_LENGTH = 3;

function sharesStem(a: string, b: string): boolean {
  let shared = 0;
  while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared++;
  return shared >= STEM_MIN_LENGTH && a.length - shared <= MAX_ENDING_LENGTH && b.length - shared <= MAX_ENDING_LENGTH;
}

function reciprocalRank(rank: number | undefined, k: number): number {
  return rank ? 1 / (k + rank) : 0;
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
