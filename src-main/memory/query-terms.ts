import { quoteTerm } from './text';

/** A query word and how many times it counts in the BM25 sum. */
export interface WeightedTerm {
  term: string;
  weight: number;
}

const TOKEN = /[\p{L}\p{N}_]+/gu;

/**
 * The query's distinct words (lower-cased, at most `maxTerms`) with their weights: a word written like
 * an identifier — with a digit or an underscore inside, or in camelCase (`WR_4411`, `cartTotal`,
 * `CRC32`) — names one particular thing, so it weighs `identifierWeight`; every other word weighs 1.
 */
export function weightQueryTerms(query: string, identifierWeight: number, maxTerms = 32): WeightedTerm[] {
  const weights = new Map<string, number>();
  for (const token of query.match(TOKEN) ?? []) {
    const term = token.toLowerCase();
    const weight = looksLikeIdentifier(token) ? identifierWeight : 1;
    if (!weights.has(term) && weights.size >= maxTerms) continue;
    weights.set(term, Math.max(weights.get(term) ?? 0, weight));
  }
  return [...weights].map(([term, weight]) => ({ term, weight }));
}

function looksLikeIdentifier(token: string): boolean {
  return /[\p{N}_]/u.test(token) || /\p{Ll}\p{Lu}/u.test(token);
}

/**
 * An FTS5 MATCH expression finding rows with any of the terms, each quoted (user input is never read as
 * FTS5 syntax) and repeated `weight` times: bm25() adds a score per phrase of the query, so a term
 * written twice counts twice.
 */
export function weightedMatch(terms: readonly WeightedTerm[]): string {
  return terms
    .flatMap(({ term, weight }) => Array.from({ length: Math.max(1, Math.round(weight)) }, () => quoteTerm(term)))
    .join(' OR ');
}
