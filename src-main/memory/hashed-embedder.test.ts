import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, isZeroVector } from './embedder';
import { fnv1a, HashedEmbedder, trigrams } from './hashed-embedder';

describe('HashedEmbedder', () => {
  const embedder = new HashedEmbedder(64);

  it('is deterministic: the same text gives the same vector, in any batch, from any instance', async () => {
    const [alone] = await embedder.embed(['parse the config file']);
    const [, inBatch] = await new HashedEmbedder(64).embed(['other text', 'parse the config file']);
    expect(inBatch).toEqual(alone);
    expect(embedder.id).toBe(new HashedEmbedder(64).id);
    expect(fnv1a('cache')).toBe(0x265dafe5);
  });

  it('gives unit vectors, close for texts sharing words or word parts, and zero for no words', async () => {
    const [parser, parsing, unrelated, empty, stopWordsOnly] = await embedder.embed([
      'a fast parser for configuration files',
      'parsing configuration file',
      'render buttons with colours',
      '  ',
      'the and of',
    ]);
    if (!parser || !parsing || !unrelated || !empty || !stopWordsOnly) throw new Error('missing vectors');
    expect(Math.hypot(...parser)).toBeCloseTo(1, 5);
    expect(cosineSimilarity(parser, parsing)).toBeGreaterThan(cosineSimilarity(parser, unrelated) + 0.2);
    expect(isZeroVector(empty)).toBe(true);
    expect(isZeroVector(stopWordsOnly)).toBe(true);
  });

  it('embeds any text to a vector of its dimension, unit length or zero', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (text) => {
        const [vector] = await embedder.embed([text]);
        expect(vector).toHaveLength(64);
        const length = Math.hypot(...(vector ?? []));
        expect(length === 0 || Math.abs(length - 1) < 1e-5).toBe(true);
      }),
    );
  });

  it('marks word boundaries in its trigrams', () => {
    expect(trigrams('cache')).toEqual(['^ca', 'cac', 'ach', 'che', 'he$']);
    expect(trigrams('a')).toEqual(['^a$']);
  });
});
