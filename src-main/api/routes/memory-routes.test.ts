import { ORPCError, type RouterClient } from '@orpc/server';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestEvent } from '@shared/memory';
import { createWarRoom, type WarRoom } from '../../app';
import { StaticEmbedder } from '../../memory/static-embedder';
import { writeStaticModel } from '../../memory/testing/static-model';
import { makeTempDir } from '../../memory/testing/temp-memory';
import { apiClientOf } from '../../testing/test-app';
import type { AppRouter } from '../router';

describe('memory API', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let app: WarRoom;
  let client: RouterClient<AppRouter>;

  /** The app on the test's profile, embedding with the static model in `modelDir`. */
  const openApp = (modelDir: string) => {
    app = createWarRoom({
      profileDir: path.join(temp.dir, 'profile'),
      host: 'browser',
      version: '0.0.0-test',
      memoryEmbedder: StaticEmbedder.load(modelDir),
    });
    client = apiClientOf(app);
  };

  beforeEach(() => {
    temp = makeTempDir();
    const modelDir = path.join(temp.dir, 'model');
    writeStaticModel(modelDir, { topics: { build: ['build', 'compile', 'bundle'] }, dimension: 16 });
    openApp(modelDir);
  });
  afterEach(() => {
    app.close();
    temp.cleanup();
  });

  it('ingests with a progress stream, then searches, reads, edits, pins and deletes', async () => {
    const project = path.join(temp.dir, 'demo');
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    fs.writeFileSync(path.join(project, 'src', 'build.ts'), 'export function compileBundle() {\n  return 1;\n}\n');
    fs.writeFileSync(path.join(project, 'README.md'), '# Demo\n\nRun the build.\n');

    const events: IngestEvent[] = [];
    for await (const event of await client.memory.ingest({ directory: project })) events.push(event);
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') throw new Error('no report');
    expect(done.report).toMatchObject({ namespace: 'demo', filesIndexed: 2, skipped: [] });
    expect(events.some((event) => event.type === 'progress' && event.phase === 'indexing')).toBe(true);

    const hits = await client.memory.search({ query: 'compileBundle', namespaces: ['demo'] });
    expect(hits[0]).toMatchObject({ item: { provenance: { file: 'src/build.ts' } }, lines: { start: 1, end: 3 } });
    const id = hits[0]?.item.id ?? '';
    expect((await client.memory.get({ id })).text).toContain('compileBundle');

    const page = await client.memory.list({ namespaces: ['demo'], kinds: ['document'] });
    expect(page).toMatchObject({ total: 1, nextOffset: null });

    expect((await client.memory.update({ id, text: 'export function compileAll() {}' })).text).toContain('compileAll');
    expect((await client.memory.pin({ id, pinned: true })).pinned).toBe(true);
    const stats = await client.memory.stats({ namespace: 'demo' });
    expect(stats).toMatchObject({ totals: { items: 2, pinned: 1, files: 2 }, vectors: { state: 'ready' } });

    expect(await client.memory.delete({ ids: [id] })).toEqual({ deleted: 1 });
    await expect(client.memory.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('re-embeds with a progress stream after the embedder changes', async () => {
    await app.memory.store.store({ namespace: 'p', kind: 'note', text: 'compile the bundle' });
    app.close();
    const otherModel = path.join(temp.dir, 'other-model');
    writeStaticModel(otherModel, { topics: { build: ['build', 'compile', 'bundle'] }, dimension: 24, seed: 9 });
    openApp(otherModel);
    expect((await client.memory.stats({})).vectors).toMatchObject({ state: 'stale', indexedWith: { dimension: 16 } });
    const progress = [];
    for await (const step of await client.memory.reembed()) progress.push(step);
    expect(progress.at(-1)).toEqual({ done: 1, total: 1 });
    expect((await client.memory.stats({})).vectors).toMatchObject({ state: 'ready', embedder: { dimension: 24 } });
  });

  it('exports and imports JSON lines, refusing bad input with line numbers', async () => {
    await app.memory.store.store({ namespace: 'p', kind: 'decision', text: 'bundle with vite' });
    const exported = await client.memory.export({});
    expect(exported.count).toBe(1);
    await client.memory.delete({ ids: [JSON.parse(exported.jsonLines).id as string] });
    expect(await client.memory.import({ jsonLines: exported.jsonLines })).toEqual({ imported: 1, replaced: 0 });

    const error = await client.memory
      .import({ jsonLines: `${exported.jsonLines}not json\n` })
      .catch((error: unknown) => error);
    expect(error).toBeInstanceOf(ORPCError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { problems: [{ line: 2 }] } });
  });

  it('cancels the ingest when the client stops reading the stream', async () => {
    const project = path.join(temp.dir, 'big');
    fs.mkdirSync(project);
    for (let index = 0; index < 300; index++)
      fs.writeFileSync(path.join(project, `file${index}.ts`), `export const value${index} = ${index};\n`);
    for await (const event of await client.memory.ingest({ directory: project, namespace: 'big' })) {
      if (event.type === 'progress' && event.filesDone >= 5) break;
    }
    // Let the ingest notice the abort at its next file.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const indexed = app.memory.store.fileRecords('big', project).size;
    expect(indexed).toBeGreaterThanOrEqual(5);
    expect(indexed).toBeLessThan(300);
    const before = app.memory.store.stats('big').totals.items;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.memory.store.stats('big').totals.items).toBe(before);
  });

  it('reports a missing ingest directory as a bad request', async () => {
    await expect(client.memory.ingest({ directory: path.join(temp.dir, 'missing') })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('is not a directory'),
    });
  });
});
