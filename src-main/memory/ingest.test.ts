import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { IngestPathError } from './errors';
import { listProjectFiles, type IngestProgress } from './ingest';
import { StaticEmbedder } from './static-embedder';
import { writeStaticModel } from './testing/static-model';
import { openTestMemory } from './testing/temp-memory';
import { useTempDir } from './testing/temp-dir-fixture';

function write(root: string, relativePath: string, content: string | Buffer): void {
  const file = path.join(root, relativePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function codeFile(name: string, functions: number): string {
  return Array.from(
    { length: functions },
    (_, index) =>
      `export function ${name}Step${index}(input: number): number {\n  const doubled = input * 2;\n  return doubled + ${index};\n}\n`,
  ).join('\n');
}

describe('ingestDirectory', () => {
  const temp = useTempDir();
  let project: string;

  beforeEach(() => {
    project = path.join(temp.dir, 'project');
    write(project, '.gitignore', 'node_modules/\n*.log\nbuild/\n!build/keep.md\n');
    write(project, 'src/app.ts', codeFile('app', 30));
    write(project, 'src/util.ts', 'export const answer = 42;\n');
    write(project, 'docs/guide.md', '# Guide\n\nRun `warroom serve` to start.\n\n## Memory\n\nIt lives in SQLite.\n');
    write(project, 'src/nested/.gitignore', 'secret.ts\n');
    write(project, 'src/nested/secret.ts', 'export const token = "do not index";\n');
    write(project, 'src/nested/public.ts', 'export const visible = true;\n');
    write(project, 'node_modules/lib/index.js', 'module.exports = 1;\n');
    write(project, 'debug.log', 'noise\n');
    write(project, 'build/out.js', 'compiled();\n');
    write(
      project,
      'build/keep.md',
      'kept despite build/ being ignored? no: git cannot re-include inside an ignored dir\n',
    );
    write(project, '.git/HEAD', 'ref: refs/heads/main\n');
    write(project, 'assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
    write(project, 'data/huge.txt', 'x'.repeat(5000));
  });

  function open(embedder: StaticEmbedder | null = null) {
    return openTestMemory(path.join(temp.dir, 'memory.db'), embedder);
  }

  it('respects .gitignore files (nested ones too) and never enters .git', () => {
    expect(listProjectFiles(project)).toEqual([
      '.gitignore',
      'assets/logo.png',
      'data/huge.txt',
      'docs/guide.md',
      'src/app.ts',
      'src/nested/.gitignore',
      'src/nested/public.ts',
      'src/util.ts',
    ]);
  });

  it('indexes text files in chunks with line ranges, and reports what it skipped', async () => {
    const { memory, close } = open();
    const events: IngestProgress[] = [];
    const report = await memory.ingest({
      root: project,
      namespace: 'proj',
      maxFileBytes: 4096,
      onProgress: (event) => events.push(event),
    });
    expect(report.skipped).toEqual([
      { path: 'assets/logo.png', reason: 'binary', detail: 'contains NUL bytes' },
      { path: 'data/huge.txt', reason: 'too-large', detail: '4.9 KiB is over the 4.0 KiB limit' },
    ]);
    expect(report).toMatchObject({ filesFound: 8, filesIndexed: 6, filesUnchanged: 0, cancelled: false });
    expect(events[0]?.phase).toBe('scanning');
    expect(events.at(-1)).toMatchObject({ phase: 'done', filesDone: 8, chunksIndexed: report.chunksIndexed });

    const appChunks = memory.store.list({ file: 'src/app.ts', limit: 500 }).items;
    expect(appChunks.length).toBeGreaterThan(2);
    expect(appChunks.every((item) => item.kind === 'code' && item.namespace === 'proj')).toBe(true);
    const lines = fs.readFileSync(path.join(project, 'src/app.ts'), 'utf8').split('\n');
    for (const chunk of appChunks) {
      const { lineStart = 0, lineEnd = 0 } = chunk.provenance;
      expect(chunk.text).toBe(lines.slice(lineStart - 1, lineEnd).join('\n'));
    }
    const [hit] = await memory.store.search('appStep17');
    expect(hit?.item.provenance.file).toBe('src/app.ts');
    expect(hit?.excerpt).toContain('appStep17');
    expect(memory.store.list({ file: 'docs/guide.md' }).items[0]?.kind).toBe('document');
    expect(await memory.store.search('do not index')).toEqual([]);
    close();
  });

  it('re-indexes only the file that changed, and forgets deleted ones', async () => {
    const { memory, close } = open();
    const first = await memory.ingest({ root: project, namespace: 'proj', maxFileBytes: 4096 });
    const utilId = memory.store.list({ file: 'src/util.ts' }).items[0]?.id;

    const again = await memory.ingest({ root: project, namespace: 'proj', maxFileBytes: 4096 });
    expect(again).toMatchObject({ filesIndexed: 0, filesUnchanged: 6, chunksIndexed: 0 });

    // Same content, new modification time: read and hashed, but not re-chunked or re-embedded.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(project, 'src/app.ts'), later, later);
    write(project, 'src/util.ts', 'export const answer = 43;\n');
    fs.rmSync(path.join(project, 'docs/guide.md'));
    const third = await memory.ingest({ root: project, namespace: 'proj', maxFileBytes: 4096 });
    expect(third).toMatchObject({ filesIndexed: 1, filesUnchanged: 4, filesRemoved: 1, chunksIndexed: 1 });
    const util = memory.store.list({ file: 'src/util.ts' }).items;
    expect(util).toHaveLength(1);
    expect(util[0]?.id).not.toBe(utilId);
    expect(util[0]?.text).toContain('43');
    expect(memory.store.list({ file: 'docs/guide.md' }).total).toBe(0);
    expect(memory.store.stats('proj').namespaces[0]?.files).toBe(first.filesIndexed - 1);
    close();
  });

  it('can be cancelled, leaving every file either fully indexed or untouched', async () => {
    for (let index = 0; index < 40; index++) write(project, `many/file${index}.ts`, codeFile(`f${index}`, 5));
    const { memory, close } = open();
    const controller = new AbortController();
    const report = await memory.ingest({
      root: project,
      namespace: 'proj',
      signal: controller.signal,
      onProgress: (event) => {
        if (event.filesDone === 10) controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(report.filesIndexed).toBe(10);
    const records = memory.store.fileRecords('proj', report.root);
    expect(records.size).toBe(10);
    for (const [file, record] of records) expect(memory.store.list({ file }).total).toBe(record.chunkCount);
    // A later run picks up where the cancelled one stopped.
    const resumed = await memory.ingest({ root: project, namespace: 'proj' });
    expect(resumed.filesUnchanged).toBe(10);
    expect(resumed.filesIndexed).toBe(resumed.filesFound - 10 - resumed.skipped.length);
    close();
  });

  it('answers searches and other connections while an ingest runs', async () => {
    for (let index = 0; index < 150; index++) write(project, `many/file${index}.ts`, codeFile(`f${index}`, 12));
    const modelDir = path.join(temp.dir, 'model');
    writeStaticModel(modelDir, {
      topics: { code: ['export', 'function', 'input', 'number', 'return'] },
      dimension: 32,
    });
    const { memory, close } = open(StaticEmbedder.load(modelDir));
    const reader = new Database(path.join(temp.dir, 'memory.db'), { readonly: true });
    let ingestDone = false;
    const ingest = memory.ingest({ root: project, namespace: 'proj' }).finally(() => {
      ingestDone = true;
    });
    const seenCounts: number[] = [];
    let searchesDuringIngest = 0;
    while (!ingestDone) {
      const hits = await memory.store.search('function input number', { limit: 5 });
      if (!ingestDone && hits.length > 0) searchesDuringIngest++;
      seenCounts.push((reader.prepare('SELECT count(*) AS count FROM memory_files').get() as { count: number }).count);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const report = await ingest;
    expect(report.filesIndexed).toBeGreaterThan(150);
    expect(searchesDuringIngest).toBeGreaterThan(1);
    // The reader saw the index grow file by file, never going backwards.
    expect(seenCounts.some((count) => count > 0 && count < report.filesIndexed)).toBe(true);
    expect([...seenCounts].sort((a, b) => a - b)).toEqual(seenCounts);
    reader.close();
    close();
  });

  it('refuses a path that is not a directory', async () => {
    const { memory, close } = open();
    await expect(memory.ingest({ root: path.join(project, 'src/util.ts'), namespace: 'x' })).rejects.toThrow(
      IngestPathError,
    );
    close();
  });
});
