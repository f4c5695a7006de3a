import type { Embedder } from './embedder';
import { words } from './text';

export const HASHED_EMBEDDER_NAME = 'hashed';

const DEFAULT_DIMENSION = 256;
/** Character n-grams of this length (with word boundaries marked) let "parser" and "parsing" share most features. */
const GRAM = 3;
/** A word counts fully; its n-grams together count about as much again, however long the word. */
const GRAMS_WEIGHT = 1;
/** English words so frequent they say nothing about a text; hashing would spread them over every vector. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can do for from has have how if in into is it its no not of on or so ' +
    'than that the their then there these this to was we were what when which will with you your'
  ).split(' '),
);

/**
 * An embedder that needs nothing downloaded and nothing trained: each word and each of its character
 * trigrams is hashed to a dimension and a sign (the "hashing trick"), weighted by the log of its count,
 * and the sum is scaled to unit length. Texts sharing words or word parts get close vectors; there is no
 * knowledge of synonyms. Deterministic: the same text gives the same vector on every machine, so the
 * vector index never needs rebuilding for it.
 */
export class HashedEmbedder implements Embedder {
  readonly id: string;

  constructor(readonly dimension = DEFAULT_DIMENSION) {
    if (!Number.isInteger(dimension) || dimension < 8) throw new Error('a hashed embedder needs 8+ dimensions');
    this.id = `${HASHED_EMBEDDER_NAME}:trigram-v1`;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    signal?.throwIfAborted();
    return texts.map((text) => this.embedOne(text));
  }

  private embedOne(text: string): Float32Array {
    const counts = new Map<string, number>();
    for (const word of words(text)) {
      if (STOP_WORDS.has(word)) continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const sums = new Float64Array(this.dimension);
    for (const [word, count] of counts) {
      const weight = 1 + Math.log(count);
      this.add(sums, `w:${word}`, weight);
      const grams = trigrams(word);
      for (const gram of grams) this.add(sums, `g:${gram}`, (weight * GRAMS_WEIGHT) / grams.length);
    }
    const norm = Math.sqrt(sums.reduce((total, value) => total + value * value, 0));
    const vector = new Float32Array(this.dimension);
    if (norm > 0) sums.forEach((value, index) => (vector[index] = value / norm));
    return vector;
  }

  private add(sums: Float64Array, feature: string, weight: number): void {
    const hash = fnv1a(feature);
    const index = hash % this.dimension;
    sums[index] = (sums[index] ?? 0) + (hash & 0x80000000 ? -weight : weight);
  }
}

/** The word's character trigrams, with `^` and `$` marking its start and end ("^ca", "cac", …, "he$"). */
export function trigrams(word: string): string[] {
  const marked = `^${word}$`;
  const characters = [...marked];
  if (characters.length <= GRAM) return [marked];
  const grams: string[] = [];
  for (let start = 0; start + GRAM <= characters.length; start++)
    grams.push(characters.slice(start, start + GRAM).join(''));
  return grams;
}

/** 32-bit FNV-1a over the string's UTF-16 code units: tiny, fast and the same everywhere. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
