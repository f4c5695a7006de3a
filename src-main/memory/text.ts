import { createHash } from 'node:crypto';

const WORD = /[\p{L}\p{N}_]+/gu;

/** Lower-cased words (letters, digits, underscore), the unit both dedupe and query building work on. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).filter((word) => word.length > 0);
}

/**
 * An FTS5 MATCH expression that finds rows containing any of the query's words. Each word is quoted,
 * so user input can never be read as FTS5 syntax (NEAR, column filters, unbalanced quotes).
 */
export function fullTextQuery(text: string, maxTerms = 32): string | null {
  const unique = [...new Set(words(text))].slice(0, maxTerms);
  if (unique.length === 0) return null;
  return unique.map(quoteTerm).join(' OR ');
}

/** One word as an FTS5 string literal (words() never contains a double quote, so none needs escaping). */
export function quoteTerm(word: string): string {
  return `"${word}"`;
}

/** A hash of the text with case and whitespace differences removed: equal hashes are exact duplicates. */
export function normalizedTextHash(text: string): string {
  return createHash('sha256').update(words(text).join(' ')).digest('hex');
}

/** Jaccard similarity of the two texts' word pairs (shingles); 1 means the same wording. */
export function shingleSimilarity(a: string, b: string): number {
  const left = shingles(a);
  const right = shingles(b);
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const shingle of left) if (right.has(shingle)) shared++;
  return shared / (left.size + right.size - shared);
}

function shingles(text: string): Set<string> {
  const tokens = words(text);
  if (tokens.length < 2) return new Set(tokens);
  const result = new Set<string>();
  for (let index = 0; index + 1 < tokens.length; index++) result.add(`${tokens[index]} ${tokens[index + 1]}`);
  return result;
}

/** The first `maxChars` characters on one line, for listings. */
export function excerpt(text: string, maxChars = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= maxChars ? flat : `${flat.slice(0, maxChars - 1)}…`;
}
