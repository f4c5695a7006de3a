import fs from 'node:fs';
import path from 'node:path';
import type { Embedder } from './embedder';
import { HASHED_EMBEDDER_NAME, HashedEmbedder } from './hashed-embedder';
import { StaticEmbedder } from './static-embedder';

/** Where a static embedding model is picked up by default, inside the profile directory. */
export function defaultEmbedderDirectory(profileDir: string): string {
  return path.join(profileDir, 'models', 'embedder');
}

/**
 * The embedder memory uses: `WARROOM_EMBEDDER=none` forces full-text only; `WARROOM_EMBEDDER=hashed` uses
 * the built-in hashed-trigram embedder; `WARROOM_EMBEDDER=<dir>` loads a static (model2vec-format) model
 * from that directory; otherwise a model in `<profile>/models/embedder` is used when present, and
 * full-text only when not (the hashed embedder does not beat full-text search on the retrieval
 * evaluation, so it is not the default). Nothing is ever downloaded.
 */
export function resolveEmbedder(profileDir: string, env: NodeJS.ProcessEnv): Embedder | null {
  const setting = env.WARROOM_EMBEDDER?.trim();
  if (setting === 'none') return null;
  if (setting === HASHED_EMBEDDER_NAME) return new HashedEmbedder();
  if (setting) return StaticEmbedder.load(path.resolve(setting));
  const directory = defaultEmbedderDirectory(profileDir);
  return fs.existsSync(path.join(directory, 'model.safetensors')) ? StaticEmbedder.load(directory) : null;
}
