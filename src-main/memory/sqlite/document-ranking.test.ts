import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database';
import { MIGRATIONS } from '../../store/migrations';
import { openTestMemory } from '../testing/temp-memory';
import { useTempDir } from '../testing/temp-dir-fixture';
import { SqliteMemoryStore } from './sqlite-memory-store';

const filler = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => `Paragraph ${from + index} is about nothing in particular.`);

describe('document-aware full-text ranking', () => {
  const temp = useTempDir();

  it('returns a long file once, at its best chunk, listing the other chunks that matched', async () => {
    const project = path.join(temp.dir, 'project');
    fs.mkdirSync(project);
    const guide = ['# Guide', ...filler(1, 45), '', '## Uploads', '', 'Uploads are retried with backoff.'];
    guide.push(...filler(46, 45), '', '## Limits', '', 'A retried upload keeps its place.', ...filler(91, 40));
    fs.writeFileSync(path.join(project, 'guide.md'), `${guide.join('\n')}\n`);
    fs.writeFileSync(path.join(project, 'other.md'), '# Other\n\nUploads happen at night.\n');
    const { memory, close } = openTestMemory(path.join(temp.dir, 'memory.db'), null);
    await memory.ingest({ root: project, namespace: 'p' });
    expect(memory.store.list({ file: 'guide.md' }).total).toBeGreaterThan(2);

    const hits = await memory.store.search('uploads retried backoff', { mode: 'full-text' });
    expect(hits.map((hit) => hit.item.provenance.file)).toEqual(['guide.md', 'other.md']);
    expect(hits[0]?.excerpt).toContain('Uploads are retried with backoff.');
    expect(hits[0]?.terms).toEqual(expect.arrayContaining(['uploads', 'retried', 'backoff']));
    expect(hits[0]?.otherLines?.length).toBeGreaterThan(0);
    close();
  });

  it('finds words by their stem and files by their path and headings', async () => {
    const { memory, close } = openTestMemory(path.join(temp.dir, 'memory.db'), null);
    await memory.store.store({ namespace: 'p', kind: 'note', text: 'the cache is cleared on every deploy' });
    const [stemmed] = await memory.store.search('clearing caches', { mode: 'full-text' });
    expect(stemmed?.item.text).toBe('the cache is cleared on every deploy');

    const project = path.join(temp.dir, 'project');
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    fs.writeFileSync(path.join(project, 'src', 'rateLimiter.ts'), 'export const windowMs = 1000;\n');
    fs.writeFileSync(path.join(project, 'notes.md'), 'The rate of change matters.\n');
    await memory.ingest({ root: project, namespace: 'q' });
    // Only the path says "limiter" (split out of rateLimiter), and only its path and the note say "rate".
    const byPath = await memory.store.search('limiter', { namespaces: ['q'], mode: 'full-text' });
    expect(byPath.map((hit) => hit.item.provenance.file)).toEqual(['src/rateLimiter.ts']);
    const both = await memory.store.search('rate limiter', { namespaces: ['q'], mode: 'full-text' });
    expect(both.map((hit) => hit.item.provenance.file).sort()).toEqual(['notes.md', 'src/rateLimiter.ts']);
    close();
  });

  it('fills in the ranking fields of chunks stored before they existed, and ranks those chunks by stem', async () => {
    const file = path.join(temp.dir, 'old.db');
    const before = MIGRATIONS.findIndex((step) => step.includes('memory_chunks_stem'));
    const old = new Database(file);
    for (const step of MIGRATIONS.slice(0, before)) old.exec(step);
    old.pragma(`user_version = ${before}`);
    old
      .prepare(
        `INSERT INTO memory_items (seq, id, namespace, kind, text, text_hash, metadata, file, line_start, line_end,
           created_at, updated_at) VALUES (1, 'old', 'p', 'code', ?, 'h', '{"source":"ingest","root":"/r"}',
           'src/cart.ts', 1, 3, 'x', 'x')`,
      )
      .run('## Totals\nexport function cartTotal(prices) {\n}');
    old
      .prepare('INSERT INTO memory_chunks (item_seq, ordinal, text, line_start, line_end) VALUES (1, 0, ?, 1, 3)')
      .run('## Totals\nexport function cartTotal(prices) {\n}');
    old.close();

    const { db } = openDatabase(file);
    const store = new SqliteMemoryStore({ db, embedder: null });
    expect(db.prepare('SELECT path, headings, symbols FROM memory_chunks').get()).toEqual({
      path: 'src/cart.ts',
      headings: 'Totals',
      symbols: 'cartTotal cart total',
    });
    const [hit] = await store.search('cart totals', { mode: 'full-text' });
    expect(hit?.item.id).toBe('old');
    db.close();
  });
});
