/**
 * Turns texts into vectors for semantic search. Implementations: the static (model2vec-style) embedder
 * loaded from a local directory; later an ONNX transformer or a remote API can sit behind the same port.
 * Without an embedder, memory runs in full-text-only mode.
 */
export interface Embedder {
  /** Stable identity of the model (name and a content hash): the index records it to detect a change. */
  readonly id: string;
  readonly dimension: number;
  /** One unit-length vector per text; an all-zero vector when nothing in the text is known to the model. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** The embedder an index was built with, as recorded in the database. */
export interface EmbedderIdentity {
  id: string;
  dimension: number;
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

export function isZeroVector(vector: Float32Array): boolean {
  return vector.every((value) => value === 0);
}
