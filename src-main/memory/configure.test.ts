import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultEmbedderDirectory, resolveEmbedder } from './configure';
import { writeStaticModel } from './testing/static-model';
import { useTempDir } from './testing/temp-dir-fixture';

describe('resolveEmbedder', () => {
  const temp = useTempDir();

  it('is full-text only when no model is installed or WARROOM_EMBEDDER=none', () => {
    expect(resolveEmbedder(temp.dir, {})).toBeNull();
    writeStaticModel(defaultEmbedderDirectory(temp.dir), { topics: { a: ['x', 'y'] }, dimension: 8 });
    expect(resolveEmbedder(temp.dir, { WARROOM_EMBEDDER: 'none' })).toBeNull();
  });

  it('uses the built-in hashed embedder when WARROOM_EMBEDDER=hashed, model installed or not', () => {
    expect(resolveEmbedder(temp.dir, { WARROOM_EMBEDDER: 'hashed' })?.id).toMatch(/^hashed:/);
    writeStaticModel(defaultEmbedderDirectory(temp.dir), { topics: { a: ['x', 'y'] }, dimension: 8 });
    expect(resolveEmbedder(temp.dir, { WARROOM_EMBEDDER: 'hashed' })?.dimension).toBe(256);
  });

  it('loads the model in the profile, or the one WARROOM_EMBEDDER points at', () => {
    writeStaticModel(defaultEmbedderDirectory(temp.dir), { topics: { a: ['x', 'y'] }, dimension: 8 });
    expect(resolveEmbedder(temp.dir, {})?.dimension).toBe(8);
    const elsewhere = path.join(temp.dir, 'elsewhere');
    writeStaticModel(elsewhere, { topics: { a: ['x', 'y'] }, dimension: 12 });
    expect(resolveEmbedder(temp.dir, { WARROOM_EMBEDDER: elsewhere })?.dimension).toBe(12);
    expect(() => resolveEmbedder(temp.dir, { WARROOM_EMBEDDER: path.join(temp.dir, 'missing') })).toThrow(
      /tokenizer.json is missing/,
    );
  });
});
