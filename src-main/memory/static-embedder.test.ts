import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkText } from './chunking';
import { cosineSimilarity } from './embedder';
import { readSafetensors } from './safetensors';
import { StaticEmbedder, WordPieceTokenizer } from './static-embedder';
import { writeStaticModel } from './testing/static-model';
import { useTempDir } from './testing/temp-dir-fixture';

describe('StaticEmbedder (model2vec format)', () => {
  const temp = useTempDir();

  it('loads a model directory and places synonyms close together', async () => {
    writeStaticModel(temp.dir, {
      topics: { cars: ['car', 'automobile'], food: ['pizza', 'pasta'] },
      dimension: 16,
    });
    const embedder = StaticEmbedder.load(temp.dir);
    expect(embedder.dimension).toBe(16);
    expect(embedder.id).toMatch(/^static:[^:]+:[0-9a-f]{12}$/);
    const none = new Float32Array(0);
    const [car = none, automobile = none, pizza = none, unknown = none] = await embedder.embed([
      'Car!',
      'the automobile',
      'pizza',
      'zzz qqq',
    ]);
    expect(cosineSimilarity(car, automobile)).toBeGreaterThan(0.8);
    expect(cosineSimilarity(car, pizza)).toBeLessThan(0.5);
    expect(Math.hypot(...car)).toBeCloseTo(1, 5);
    expect(unknown.length === 16 && unknown.every((value) => value === 0)).toBe(true);
  });

  it('splits words into WordPiece pieces and drops unknown ones', () => {
    const tokenizer = WordPieceTokenizer.fromJson(
      JSON.stringify({
        model: { type: 'WordPiece', unk_token: '[UNK]', vocab: { '[UNK]': 0, play: 1, '##ing': 2, café: 3, cafe: 4 } },
        normalizer: { lowercase: true, strip_accents: null },
      }),
      'test',
    );
    expect(tokenizer.encode('Playing CAFÉ xyz')).toEqual([1, 2, 4]);
    expect(() => WordPieceTokenizer.fromJson('{"model":{"type":"Unigram","vocab":[]}}', 'u.json')).toThrow(
      /Unigram tokenizer; supported: WordPiece, WordLevel/,
    );
  });

  it('reads float16 tables and explains what is missing in a broken model', () => {
    const file = path.join(temp.dir, 'half.safetensors');
    const header = Buffer.from(JSON.stringify({ embeddings: { dtype: 'F16', shape: [1, 2], data_offsets: [0, 4] } }));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    const data = Buffer.alloc(4);
    data.writeUInt16LE(0x3c00, 0); // 1.0
    data.writeUInt16LE(0xc000, 2); // -2.0
    fs.writeFileSync(file, Buffer.concat([length, header, data]));
    expect([...(readSafetensors(file).get('embeddings')?.data ?? [])]).toEqual([1, -2]);

    fs.mkdirSync(path.join(temp.dir, 'broken'));
    fs.writeFileSync(path.join(temp.dir, 'broken', 'tokenizer.json'), '{}');
    expect(() => StaticEmbedder.load(path.join(temp.dir, 'broken'))).toThrow(/model.safetensors is missing/);
  });
});

describe('chunkText', () => {
  it('keeps line ranges exact and gives a chunk back unchanged when re-chunked', () => {
    const text = Array.from({ length: 200 }, (_, index) => (index % 9 === 8 ? '' : `line ${index + 1}`)).join('\n');
    const chunks = chunkText(text, { maxLines: 30 });
    const lines = text.split('\n');
    expect(chunks.length).toBeGreaterThan(6);
    for (const chunk of chunks) {
      expect(chunk.lineEnd - chunk.lineStart + 1).toBeLessThanOrEqual(30);
      expect(chunk.text).toBe(lines.slice(chunk.lineStart - 1, chunk.lineEnd).join('\n'));
      expect(chunkText(chunk.text, { maxLines: 30, firstLine: chunk.lineStart })).toEqual([chunk]);
    }
    const minified = chunkText(`${'a'.repeat(4500)}\nb`, { maxChars: 2000 });
    expect(minified.map((chunk) => [chunk.lineStart, chunk.text.length])).toEqual([
      [1, 2000],
      [1, 2000],
      [1, 500],
      [2, 1],
    ]);
  });
});
