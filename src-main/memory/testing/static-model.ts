import fs from 'node:fs';
import path from 'node:path';
import { seededRandom } from '@shared/testing/seeded-random';
import { writeSafetensors } from '../safetensors';

export interface GeneratedModelSpec {
  /** Words that mean about the same thing share a topic vector (synonyms end up close together). */
  topics: Record<string, readonly string[]>;
  /** Words with a vector of their own, unrelated to every topic. */
  otherWords?: readonly string[];
  dimension?: number;
  seed?: number;
  /** How far a word strays from its topic (0: synonyms are identical). */
  spread?: number;
}

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];

/**
 * Writes a small model2vec-format model (tokenizer.json + model.safetensors + config.json) into
 * `directory`: the same files a real static model has, so the loader under test is the real one.
 */
export function writeStaticModel(directory: string, spec: GeneratedModelSpec): void {
  const dimension = spec.dimension ?? 32;
  const spread = spec.spread ?? 0.35;
  const random = seededRandom(spec.seed ?? 7);
  const gaussianVector = () => Float32Array.from({ length: dimension }, () => gaussian(random));
  const vocabulary: string[] = [...SPECIAL_TOKENS];
  const rows: Float32Array[] = SPECIAL_TOKENS.map(() => gaussianVector());
  for (const words of Object.values(spec.topics)) {
    const topic = gaussianVector();
    for (const word of words) {
      if (vocabulary.includes(word)) continue;
      const noise = gaussianVector();
      vocabulary.push(word);
      rows.push(topic.map((value, index) => value + spread * (noise[index] ?? 0)));
    }
  }
  for (const word of spec.otherWords ?? []) {
    if (vocabulary.includes(word)) continue;
    vocabulary.push(word);
    rows.push(gaussianVector());
  }
  const table = new Float32Array(vocabulary.length * dimension);
  rows.forEach((row, index) => table.set(row, index * dimension));

  fs.mkdirSync(directory, { recursive: true });
  const tokenizer = {
    version: '1.0',
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({ id, content, special: true })),
    normalizer: { type: 'BertNormalizer', lowercase: true, strip_accents: null, clean_text: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocabulary.map((word, id) => [word, id])),
    },
  };
  fs.writeFileSync(path.join(directory, 'tokenizer.json'), JSON.stringify(tokenizer));
  fs.writeFileSync(path.join(directory, 'config.json'), JSON.stringify({ model_type: 'model2vec', normalize: true }));
  writeSafetensors(path.join(directory, 'model.safetensors'), {
    embeddings: { shape: [vocabulary.length, dimension], data: table },
  });
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
