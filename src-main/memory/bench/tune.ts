import type { FullTextWeights } from '../sqlite/full-text-scores';

/** The values each weight is tried at; exact stays 1, the unit the others are measured in. */
const GRID: Partial<Record<keyof FullTextWeights, readonly number[]>> = {
  stemmed: [0, 0.25, 0.5, 1, 2],
  fields: [0, 0.15, 0.3, 0.6],
  lead: [0, 0.25, 0.5, 1],
  path: [0.5, 1, 2],
  headings: [0.5, 1, 2],
  symbols: [0.5, 1, 2],
  identifiers: [1, 2, 3],
};
/** One pass: each evaluation re-runs every tuning query on both corpora, and a second pass moved nothing. */
const PASSES = 1;

/**
 * Coordinate ascent over GRID: each weight in turn is set to the value that scores best with the others
 * fixed, for a few passes. Ties keep the current value, so a weight only moves when the score improves.
 */
export async function tuneWeights(
  start: FullTextWeights,
  score: (weights: FullTextWeights) => Promise<number>,
  log: (line: string) => void = console.log,
): Promise<FullTextWeights> {
  let best = { ...start };
  let bestScore = await score(best);
  log(`start: ${bestScore.toFixed(4)} ${JSON.stringify(best)}`);
  for (let pass = 0; pass < PASSES; pass++) {
    for (const [key, values] of Object.entries(GRID) as Array<[keyof FullTextWeights, readonly number[]]>) {
      for (const value of values) {
        if (value === best[key]) continue;
        const candidate = { ...best, [key]: value };
        const candidateScore = await score(candidate);
        if (candidateScore > bestScore) {
          best = candidate;
          bestScore = candidateScore;
          log(`${key} = ${value}: ${bestScore.toFixed(4)}`);
        }
      }
    }
  }
  return best;
}
