import Database from 'better-sqlite3';
import { getLoadablePath } from 'sqlite-vec';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryImportError } from '../errors';
import { parseJsonLines } from '../jsonl';
import { SqliteMemoryStore } from './sqlite-memory-store';
import { openDatabase } from '../../store/database';
import { StaticEmbedder } from '../static-embedder';
import { writeStaticModel } from '../testing/static-model';
import { makeTempDir, openTestMemory } from '../testing/temp-memory';
import { useTempDir } from '../testing/temp-dir-fixture';

const TOPICS = {
  storage: ['database', 'sqlite', 'postgres', 'storage', 'table'],
  build: ['build', 'compile', 'bundle', 'webpack', 'vite'],
  ui: ['button', 'layout', 'css', 'theme', 'colors'],
};
const WORDS = 'the a we use for our and is to of in it on with fix bug after when'.split(' ');

function makeModel(dir: string, seed: number, dimension = 24): StaticEmbedder {
  writeStaticModel(dir, { topics: TOPICS, otherWords: WORDS, dimension, seed });
  return StaticEmbedder.load(dir);
}

describe('SqliteMemoryStore', () => {
  const temp = useTempDir();
  let clock: Date;
  const now = () => clock;

  beforeEach(() => {
    clock = new Date('2026-01-10T12:00:00.000Z');
  });

  function open(embedder: StaticEmbedder | null = makeModel(path.join(temp.dir, 'model'), 3)) {
    return openTestMemory(path.join(temp.dir, 'memory.db'), embedder, now);
  }

  it('filters by namespace, kind and time', async () => {
    const { memory, close } = open();
    const store = memory.store;
    await store.store({ namespace: 'alpha', kind: 'decision', text: 'we use sqlite for storage' });
    await store.store({ namespace: 'beta', kind: 'decision', text: 'we use postgres for storage' });
    clock = new Date('2026-02-01T00:00:00.000Z');
    await store.store({ namespace: 'alpha', kind: 'note', text: 'the sqlite table needs an index' });

    const inAlpha = await store.search('sqlite storage', { namespaces: ['alpha'] });
    expect(inAlpha.map((hit) => hit.item.namespace)).toEqual(['alpha', 'alpha']);
    const decisions = await store.search('sqlite storage', { kinds: ['decision'] });
    expect(decisions.every((hit) => hit.item.kind === 'decision')).toBe(true);
    expect(decisions).toHaveLength(2);
    const recent = await store.search('sqlite', { since: '2026-01-20T00:00:00.000Z' });
    expect(recent.map((hit) => hit.item.text)).toEqual(['the sqlite table needs an index']);
    const older = await store.search('sqlite', { until: '2026-01-20T00:00:00.000Z', mode: 'vector' });
    expect(older.every((hit) => hit.item.updatedAt < '2026-01-20')).toBe(true);
    close();
  });

  it('boosts pinned and recent items, and says so', async () => {
    const { memory, close } = open(null);
    const store = memory.store;
    const old = await store.store({ namespace: 'p', kind: 'note', text: 'deploy with the release script' });
    clock = new Date('2026-03-10T12:00:00.000Z');
    const fresh = await store.store({ namespace: 'p', kind: 'note', text: 'deploy through the release pipeline' });
    let hits = await store.search('deploy release');
    expect(hits[0]?.item.id).toBe(fresh.item.id);
    expect(hits[0]?.reasons.some((reason) => reason.startsWith('updated just now'))).toBe(true);

    store.setPinned(old.item.id, true);
    clock = new Date('2026-03-10T12:00:01.000Z');
    hits = await store.search('deploy release');
    expect(hits[0]?.item.id).toBe(old.item.id);
    expect(hits[0]?.reasons).toContain('pinned (+50%)');
    close();
  });

  it('skips exact duplicates and merges near-duplicates, saying which', async () => {
    const { memory, close } = open();
    const store = memory.store;
    const first = await store.store({
      namespace: 'p',
      kind: 'error-resolution',
      text: 'Error: vite build fails on node 18. Resolution: upgrade node to 20 and clear the cache',
      metadata: { source: 'run-1' },
    });
    expect(first.outcome).toBe('stored');
    const exact = await store.store({
      namespace: 'p',
      kind: 'error-resolution',
      text: 'error: Vite build fails on Node 18.   Resolution: upgrade node to 20 and clear the cache',
    });
    expect(exact).toMatchObject({ outcome: 'skipped', item: { id: first.item.id } });

    const nearText = 'Error: vite build fails on node 18. Resolution: upgrade node to 20 and clear the vite cache';
    const skipped = await store.store(
      { namespace: 'p', kind: 'error-resolution', text: nearText },
      { onNearDuplicate: 'skip' },
    );
    expect(skipped.outcome).toBe('skipped');
    const merged = await store.store({
      namespace: 'p',
      kind: 'error-resolution',
      text: nearText,
      metadata: { source: 'run-2' },
    });
    expect(merged).toMatchObject({ outcome: 'merged', item: { id: first.item.id, text: nearText } });
    expect(merged.item.metadata).toEqual({ source: 'run-2' });

    const other = await store.store({ namespace: 'p', kind: 'note', text: 'the button layout uses css grid' });
    expect(other.outcome).toBe('stored');
    const elsewhere = await store.store({ namespace: 'q', kind: 'error-resolution', text: nearText });
    expect(elsewhere.outcome).toBe('stored');
    expect(store.stats().totals.items).toBe(3);
    close();
  });

  it('edits, pins and deletes items, keeping both indexes in step', async () => {
    const { memory, close } = open();
    const store = memory.store;
    const { item } = await store.store({ namespace: 'p', kind: 'note', text: 'we bundle with webpack' });
    clock = new Date('2026-01-11T00:00:00.000Z');
    const edited = await store.update(item.id, { text: 'we bundle with vite', kind: 'decision', metadata: { a: 1 } });
    expect(edited).toMatchObject({ text: 'we bundle with vite', kind: 'decision', metadata: { a: 1 } });
    expect(edited.updatedAt).toBe('2026-01-11T00:00:00.000Z');
    expect(await store.search('webpack', { mode: 'full-text' })).toHaveLength(0);
    expect((await store.search('vite', { mode: 'full-text' }))[0]?.item.id).toBe(item.id);
    expect((await store.search('vite', { mode: 'vector', kinds: ['decision'] }))[0]?.item.id).toBe(item.id);
    expect(await store.search('vite', { mode: 'vector', kinds: ['note'] })).toHaveLength(0);

    expect(store.setPinned(item.id, true).pinned).toBe(true);
    expect(store.list({ pinned: true }).items.map((entry) => entry.id)).toEqual([item.id]);

    expect(store.delete([item.id, 'no-such-id'])).toBe(1);
    expect(await store.search('vite')).toHaveLength(0);
    expect(() => store.get(item.id)).toThrow(/No memory item/);
    expect(store.stats().vectors.chunksWithoutVector).toBe(0);
    close();
  });

  it('splits long texts into chunks and points at the chunk that matched', async () => {
    const { memory, close } = open(null);
    const paragraphs = Array.from({ length: 40 }, (_, index) =>
      index === 33 ? 'the flaky_sandbox_timeout appears here' : `paragraph ${index} about nothing in particular`,
    );
    const { item } = await memory.store.store({
      namespace: 'p',
      kind: 'document',
      text: paragraphs.join('\n\n'),
      provenance: { file: 'notes.md', lineStart: 1, lineEnd: 79 },
    });
    const stats = memory.store.stats();
    expect(stats.totals.chunks).toBeGreaterThan(1);
    const [hit] = await memory.store.search('flaky_sandbox_timeout');
    expect(hit?.item.id).toBe(item.id);
    expect(hit?.excerpt).toContain('flaky_sandbox_timeout');
    expect(hit?.excerpt.length).toBeLessThan(item.text.length);
    expect(hit?.lines && hit.lines.start <= 67 && hit.lines.end >= 67).toBe(true);
    close();
  });

  it('lists in pages and reports stats per namespace', async () => {
    const { memory, close } = open(null);
    for (let index = 0; index < 5; index++) {
      clock = new Date(Date.UTC(2026, 0, 1 + index));
      await memory.store.store({ namespace: index < 3 ? 'a' : 'b', kind: 'note', text: `note number ${index}` });
    }
    const first = memory.store.list({ limit: 2 });
    expect(first.items.map((item) => item.text)).toEqual(['note number 4', 'note number 3']);
    expect(first).toMatchObject({ total: 5, nextOffset: 2 });
    const last = memory.store.list({ limit: 2, offset: 4 });
    expect(last).toMatchObject({ nextOffset: null, items: [{ text: 'note number 0' }] });
    expect(memory.store.list({ namespaces: ['b'] }).total).toBe(2);
    const stats = memory.store.stats();
    expect(stats.namespaces.map((entry) => [entry.namespace, entry.items, entry.byKind.note])).toEqual([
      ['a', 3, 3],
      ['b', 2, 2],
    ]);
    expect(stats.vectors).toMatchObject({ state: 'off', embedder: null });
    expect(memory.store.deleteNamespace('a')).toBe(3);
    expect(memory.store.stats().totals.items).toBe(2);
    close();
  });

  it('re-embeds everything, with progress, when the embedder changes', async () => {
    const first = open(makeModel(path.join(temp.dir, 'model-a'), 3, 24));
    for (const text of ['sqlite storage table', 'vite build bundle', 'css theme colors'])
      await first.memory.store.store({ namespace: 'p', kind: 'note', text });
    expect(first.memory.store.stats().vectors).toMatchObject({ state: 'ready', embedder: { dimension: 24 } });
    first.close();

    const second = open(makeModel(path.join(temp.dir, 'model-b'), 5, 40));
    const store = second.memory.store;
    const stats = store.stats();
    expect(stats.vectors).toMatchObject({
      state: 'stale',
      embedder: { dimension: 40 },
      indexedWith: { dimension: 24 },
    });
    // Until re-embedded, search falls back to full text rather than comparing 24- and 40-d vectors.
    const before = await store.search('sqlite');
    expect(before[0]?.reasons.join(' ')).toMatch(/being rebuilt/);
    // New items wait for the re-embed instead of joining the old index.
    await store.store({ namespace: 'p', kind: 'note', text: 'postgres database table' });

    const progress: Array<{ done: number; total: number }> = [];
    await second.memory.syncVectors((step) => progress.push(step));
    expect(progress[0]).toEqual({ done: 0, total: 4 });
    expect(progress.at(-1)).toEqual({ done: 4, total: 4 });
    expect(store.stats().vectors).toMatchObject({ state: 'ready', indexedWith: null, chunksWithoutVector: 0 });
    const hits = await store.search('database', { mode: 'vector' });
    expect(hits[0]?.item.text).toBe('postgres database table');
    second.close();
  });

  it('runs in full-text-only mode and embeds the backlog once an embedder appears', async () => {
    const plain = open(null);
    await plain.memory.store.store({ namespace: 'p', kind: 'note', text: 'sqlite storage table' });
    const [hit] = await plain.memory.store.search('sqlite');
    expect(hit?.reasons).toContain('vector search off (no embedder): full-text only');
    plain.close();

    const embedded = open();
    expect(embedded.memory.store.stats().vectors).toMatchObject({ state: 'stale', chunksWithoutVector: 1 });
    await embedded.memory.syncVectors();
    expect((await embedded.memory.store.search('postgres', { mode: 'vector' }))[0]?.item.text).toBe(
      'sqlite storage table',
    );
    embedded.close();
  });

  it('deletes vectors along with their items even while no embedder is configured', async () => {
    const embedded = open();
    const { item } = await embedded.memory.store.store({ namespace: 'p', kind: 'note', text: 'sqlite storage' });
    embedded.close();
    const plain = open(null);
    expect(plain.memory.store.delete([item.id])).toBe(1);
    plain.close();
    const reader = new Database(path.join(temp.dir, 'memory.db'));
    reader.loadExtension(getLoadablePath());
    expect(reader.prepare('SELECT count(*) AS count FROM memory_vectors').get()).toEqual({ count: 0 });
    reader.close();
  });

  it('exports and re-imports losslessly', async () => {
    const source = open();
    await source.memory.store.store({
      namespace: 'p',
      kind: 'error-resolution',
      text: 'Error: build fails\nResolution: pin vite',
      metadata: { error: 'build fails', nested: { list: [1, 'two', null] } },
      provenance: { runId: 'run-7', nodeId: 'coder' },
      pinned: true,
    });
    clock = new Date('2026-01-12T00:00:00.000Z');
    await source.memory.store.store({
      namespace: 'q',
      kind: 'code',
      text: 'export function build() {\n  return vite();\n}',
      provenance: { file: 'src/build.ts', lineStart: 10, lineEnd: 12 },
    });
    source.memory.store.markUsed([source.memory.store.list({ namespaces: ['q'] }).items[0]?.id ?? '']);
    const exported = await source.memory.exportJsonLines();
    expect(exported.count).toBe(2);
    source.close();

    const target = openTestMemory(path.join(temp.dir, 'other.db'), makeModel(path.join(temp.dir, 'model'), 3), now);
    expect(await target.memory.importJsonLines(exported.jsonLines)).toEqual({ imported: 2, replaced: 0 });
    expect((await target.memory.exportJsonLines()).jsonLines).toBe(exported.jsonLines);
    const [hit] = await target.memory.store.search('vite build', { namespaces: ['q'] });
    expect(hit?.lines).toEqual({ start: 10, end: 12 });
    // Importing the same file again replaces rather than duplicates.
    expect(await target.memory.importJsonLines(exported.jsonLines)).toEqual({ imported: 2, replaced: 2 });
    expect((await target.memory.exportJsonLines()).jsonLines).toBe(exported.jsonLines);
    target.close();
  });

  it('refuses an import with a corrupt line, naming the line and writing nothing', async () => {
    const { memory, close } = open();
    await memory.store.store({ namespace: 'p', kind: 'note', text: 'already here' });
    const good = (id: string) =>
      JSON.stringify({
        id,
        namespace: 'p',
        kind: 'note',
        text: `item ${id}`,
        metadata: {},
        provenance: {},
        pinned: false,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        lastUsedAt: null,
      });
    const input = [good('a'), good('b'), '', '{"id": "c", "namespace": "p", "kind": "note", "text": oops}', good('d')];
    const attempt = memory.importJsonLines(input.join('\n'));
    await expect(attempt).rejects.toThrow(MemoryImportError);
    await expect(attempt).rejects.toThrow(/line 4: not valid JSON/);
    const badKind = [good('a'), good('b').replace('"note"', '"gossip"')].join('\n');
    await expect(memory.importJsonLines(badKind)).rejects.toThrow(/line 2: kind:/);
    expect(() => parseJsonLines([good('a'), good('a')].join('\n'))).toThrow(/line 2: id a already appears on line 1/);
    expect(memory.store.stats().totals.items).toBe(1);
    close();
  });

  it('serves readers on other connections while it writes (WAL)', async () => {
    const { memory, close } = open(null);
    const reader = new Database(path.join(temp.dir, 'memory.db'), { readonly: true });
    for (let index = 0; index < 20; index++) {
      await memory.store.store({ namespace: 'p', kind: 'note', text: `entry ${index} about sqlite` });
      const count = (reader.prepare('SELECT count(*) AS count FROM memory_items').get() as { count: number }).count;
      expect(count).toBe(index + 1);
    }
    reader.close();
    close();
  });
});

describe('full-text ranking on large memories', () => {
  it('ranks by the rarer words when some query words are everywhere, and still answers common-only queries', async () => {
    const temp = makeTempDir();
    const opened = openDatabase(path.join(temp.dir, 'memory.db'));
    const store = new SqliteMemoryStore({ db: opened.db, embedder: null, commonWordMinChunks: 5 });
    for (let index = 0; index < 30; index++)
      await store.store({
        namespace: 'p',
        kind: 'note',
        text: `service log entry ${index}${index % 10 === 3 ? ' with a rare_marker' : ''}`,
      });
    const hits = await store.search('service rare_marker', { limit: 10 });
    expect(hits.map((hit) => hit.item.text).sort()).toEqual([
      'service log entry 13 with a rare_marker',
      'service log entry 23 with a rare_marker',
      'service log entry 3 with a rare_marker',
    ]);
    expect(hits[0]?.reasons).toContain('common words not used for full-text ranking: service');
    const common = await store.search('service log', { limit: 10 });
    expect(common).toHaveLength(5);
    expect(common.every((hit) => hit.reasons[0]?.startsWith('full-text rank'))).toBe(true);
    opened.db.close();
    temp.cleanup();
  });
});
