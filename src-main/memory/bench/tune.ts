import type { FullTextWeights } from '../sqlite/full-text-scores';
import type { FusionWeights } from '../sqlite/ranking';

/** The values each full-text weight is tried at; `exact` stays 1, the unit the others are measured in. */
export const FULL_TEXT_GRID: Partial<Record<keyof FullTextWeights, readonly number[]>> = {
  stemmed: [0, 0.25, 0.5, 1, 2],
  fields: [0, 0.15, 0.3, 0.6],
  lead: [0, 0.25, 0.5, 1],
  path: [0.5, 1, 2],
  headings: [0.5, 1, 2],
  symbols: [0.5, 1, 2],
};

export const FUSION_GRID: Partial<Record<keyof FusionWeights, readonly number[]>> = {
  rrfK: [5, 20, 60],
  vectorWeight: [0.25, 0.5, 1, 2],
};

/**
 * Coordinate ascent over a grid: each weight in turn is set to the value that scores best with the
 * others fixed. Ties keep the current value, so a weight only moves when the score improves. One pass
 * only: every evaluation re-runs all the tuning queries on both corpora (half a minute on 2 busy cores).
 */
export async function coordinateAscent<Weights extends object>(
  start: Weights,
  grid: Partial<Record<keyof Weights, readonly number[]>>,
  score: (weights: Weights) => Promise<number>,
  log: (line: string) => void = console.log,
): Promise<Weights> {
  let best = { ...start };
  let bestScore = await score(best);
  log(`start: ${bestScore.toFixed(4)} ${JSON.stringify(best)}`);
  for (const [key, values] of Object.entries(grid) as Array<[keyof Weights, readonly number[]]>) {
    for (const value of values) {
      if (value === best[key]) continue;
      const candidate = { ...best, [key]: value };
      const candidateScore = await score(candidate);
      if (candidateScore > bestScore) {
        best = candidate;
        bestScore = candidateScore;
        log(`${String(key)} = ${value}: ${bestScore.toFixed(4)}`);
      }
    }
  }
  return best;
}
