import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import type { WarRoom } from '../../app';
import { openCliApp } from './cli-app';
import type { IngestReport } from '../../memory/ingest';
import { parseJsonLines } from '../../memory/jsonl';
import type { MemoryItem, MemoryKind, MemorySearchHit } from '../../memory/port';
import { excerpt } from '../../memory/text';
import { MemoryKindSchema } from '@shared/memory';
import { projectNamespace } from '@shared/memory-namespaces';

/** What a command prints: the human text, or the JSON document with --json. */
export interface CommandOutput {
  text: string;
  exitCode?: number;
}

interface CommonOptions {
  namespace?: string;
  json?: boolean;
}

const toJson = (value: unknown): CommandOutput => ({ text: JSON.stringify(value, null, 2) });

function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive integer');
  return number;
}

function parseKind(value: string, previous: MemoryKind[] = []): MemoryKind[] {
  if (!(MemoryKindSchema.options as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${MemoryKindSchema.options.join(', ')}`);
  return [...previous, value as MemoryKind];
}

function parseTime(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidArgumentError('must be a date or ISO timestamp');
  return new Date(time).toISOString();
}

function location(item: MemoryItem, lines?: { start: number; end: number }): string {
  const { file, lineStart, lineEnd, runId } = item.provenance;
  if (file) {
    const range = lines ?? (lineStart && lineEnd ? { start: lineStart, end: lineEnd } : undefined);
    return range ? `${file}:${range.start}-${range.end}` : file;
  }
  return runId ? `run ${runId}` : '';
}

export async function searchCommand(
  app: WarRoom,
  query: string,
  options: CommonOptions & {
    kind?: MemoryKind[];
    limit?: number;
    since?: string;
    mode?: 'hybrid' | 'full-text' | 'vector';
  },
): Promise<CommandOutput> {
  await syncVectorsIfStale(app);
  const hits = await app.memory.store.search(query, {
    namespaces: options.namespace ? [options.namespace] : undefined,
    kinds: options.kind,
    limit: options.limit ?? 10,
    since: options.since,
    mode: options.mode,
  });
  if (options.json) return toJson(hits);
  if (hits.length === 0) return { text: 'No memories match.' };
  return { text: hits.map((hit, index) => formatHit(hit, index + 1)).join('\n\n') };
}

/** After an embedder change, re-embeds everything (with progress on stderr) before answering. */
async function syncVectorsIfStale(app: WarRoom): Promise<void> {
  if (app.memory.store.vectorState() !== 'stale') return;
  const showProgress = process.stderr.isTTY;
  await app.memory.syncVectors(({ done, total }) => {
    if (showProgress) process.stderr.write(`\rre-embedding memory: ${done}/${total} chunks`);
  });
  if (showProgress) process.stderr.write('\n');
}

function formatHit(hit: MemorySearchHit, rank: number): string {
  const where = location(hit.item, hit.lines);
  return [
    `${rank}. ${hit.score.toFixed(4)}  ${hit.item.id}  [${hit.item.namespace}/${hit.item.kind}]${where ? `  ${where}` : ''}`,
    `   ${excerpt(hit.excerpt, 200)}`,
    `   why: ${hit.reasons.join(', ')}`,
    ...(hit.otherLines?.length
      ? [`   also matches lines ${hit.otherLines.map((range) => `${range.start}-${range.end}`).join(', ')}`]
      : []),
  ].join('\n');
}

export async function ingestCommand(
  app: WarRoom,
  directory: string,
  options: CommonOptions & { maxFileSize?: number; signal?: AbortSignal; progress?: boolean },
): Promise<CommandOutput> {
  const bar = options.progress
    ? new SingleBar({
        format: 'ingest [{bar}] {value}/{total} files | {chunks} chunks | {file}',
        stream: process.stderr,
        hideCursor: true,
      })
    : null;
  let started = false;
  const report = await app.memory.ingest({
    root: directory,
    namespace: options.namespace,
    maxFileBytes: options.maxFileSize,
    signal: options.signal,
    onVectorProgress: ({ done, total }) => {
      if (options.progress) process.stderr.write(`\rre-embedding for the new embedder: ${done}/${total} chunks`);
    },
    onProgress: (progress) => {
      if (!bar || progress.phase === 'scanning') return;
      if (!started) {
        bar.start(progress.filesFound, 0, { chunks: 0, file: '' });
        started = true;
      }
      bar.update(progress.filesDone, { chunks: progress.chunksIndexed, file: progress.currentFile ?? '' });
    },
  });
  bar?.stop();
  if (options.json) return { ...toJson(report), exitCode: report.cancelled ? 130 : 0 };
  return { text: formatReport(report), exitCode: report.cancelled ? 130 : 0 };
}

function formatReport(report: IngestReport): string {
  const lines = [
    `${report.cancelled ? 'Cancelled' : 'Ingested'} ${report.root} into namespace "${report.namespace}" in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  files found: ${report.filesFound}, indexed: ${report.filesIndexed}, unchanged: ${report.filesUnchanged}, removed: ${report.filesRemoved}`,
    `  chunks indexed: ${report.chunksIndexed}`,
  ];
  if (report.skipped.length > 0) {
    lines.push(`  skipped ${report.skipped.length} file(s):`);
    for (const skipped of report.skipped) lines.push(`    ${skipped.path}: ${skipped.reason} (${skipped.detail})`);
  }
  return lines.join('\n');
}

export function listCommand(
  app: WarRoom,
  options: CommonOptions & { kind?: MemoryKind[]; pinned?: boolean; limit?: number; offset?: number },
): CommandOutput {
  const page = app.memory.store.list({
    namespaces: options.namespace ? [options.namespace] : undefined,
    kinds: options.kind,
    pinned: options.pinned,
    limit: options.limit ?? 50,
    offset: options.offset ?? 0,
  });
  if (options.json) return toJson(page);
  if (page.items.length === 0) return { text: 'No memories.' };
  const rows = page.items.map((item) => {
    const where = location(item);
    return `${item.id}  ${item.updatedAt}  [${item.namespace}/${item.kind}]${item.pinned ? ' pinned' : ''}${where ? `  ${where}` : ''}\n   ${excerpt(item.text, 120)}`;
  });
  const shown = `${page.offset + 1}-${page.offset + page.items.length} of ${page.total}`;
  const more = page.nextOffset === null ? '' : ` (next page: --offset ${page.nextOffset})`;
  return { text: `${rows.join('\n')}\n${shown}${more}` };
}

export function showCommand(app: WarRoom, id: string, options: CommonOptions): CommandOutput {
  const item = app.memory.store.get(id);
  if (options.namespace && item.namespace !== options.namespace)
    return { text: `Memory ${id} is in namespace "${item.namespace}", not "${options.namespace}".`, exitCode: 1 };
  if (options.json) return toJson(item);
  const where = location(item);
  return {
    text: [
      `id:        ${item.id}`,
      `namespace: ${item.namespace}`,
      `kind:      ${item.kind}${item.pinned ? ' (pinned)' : ''}`,
      ...(where ? [`source:    ${where}`] : []),
      `created:   ${item.createdAt}`,
      `updated:   ${item.updatedAt}`,
      `last used: ${item.lastUsedAt ?? 'never'}`,
      ...(Object.keys(item.metadata).length ? [`metadata:  ${JSON.stringify(item.metadata)}`] : []),
      '',
      item.text,
    ].join('\n'),
  };
}

export function removeCommand(
  app: WarRoom,
  ids: readonly string[],
  options: CommonOptions & { all?: boolean },
): CommandOutput {
  let deleted: number;
  if (options.all) {
    if (!options.namespace || ids.length > 0)
      return { text: '--all deletes a whole namespace: give --namespace and no ids.', exitCode: 2 };
    deleted = app.memory.store.deleteNamespace(options.namespace);
  } else {
    if (ids.length === 0) return { text: 'Give the ids to delete (or --all --namespace <name>).', exitCode: 2 };
    const inNamespace = options.namespace
      ? ids.filter((id) => {
          try {
            return app.memory.store.get(id).namespace === options.namespace;
          } catch {
            return false;
          }
        })
      : ids;
    deleted = app.memory.store.delete(inNamespace);
  }
  if (options.json) return toJson({ deleted });
  return { text: `Deleted ${deleted} memor${deleted === 1 ? 'y' : 'ies'}.`, exitCode: deleted === 0 ? 1 : 0 };
}

export function statsCommand(app: WarRoom, options: CommonOptions): CommandOutput {
  const stats = app.memory.store.stats(options.namespace);
  if (options.json) return toJson(stats);
  const { vectors } = stats;
  const lines = [
    vectors.embedder
      ? `embedder: ${vectors.embedder.id} (${vectors.embedder.dimension} dimensions), vector index ${vectors.state}` +
        (vectors.chunksWithoutVector ? `, ${vectors.chunksWithoutVector} chunks not yet embedded` : '')
      : 'embedder: none (full-text search only)',
    `total: ${stats.totals.items} items, ${stats.totals.chunks} chunks, ${stats.totals.pinned} pinned, ${stats.totals.files} ingested files`,
  ];
  for (const entry of stats.namespaces) {
    const kinds = Object.entries(entry.byKind)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ');
    lines.push(
      `  ${entry.namespace}: ${entry.items} items (${kinds}), ${entry.chunks} chunks, ${entry.pinned} pinned, ${entry.files} files, last update ${entry.lastUpdatedAt ?? '-'}`,
    );
  }
  return { text: lines.join('\n') };
}

export async function exportCommand(
  app: WarRoom,
  file: string | undefined,
  options: CommonOptions,
): Promise<CommandOutput> {
  const { jsonLines, count } = await app.memory.exportJsonLines(options.namespace ? [options.namespace] : undefined);
  if (!file) return { text: jsonLines.trimEnd() };
  // Written beside the target and renamed, so an interrupted export never leaves a truncated file.
  const target = path.resolve(file);
  fs.writeFileSync(`${target}.partial`, jsonLines);
  fs.renameSync(`${target}.partial`, target);
  if (options.json) return toJson({ file: target, count });
  return { text: `Exported ${count} memor${count === 1 ? 'y' : 'ies'} to ${target}` };
}

export async function importCommand(app: WarRoom, file: string, options: CommonOptions): Promise<CommandOutput> {
  let jsonLines = fs.readFileSync(file, 'utf8');
  if (options.namespace) {
    const namespace = options.namespace;
    jsonLines = parseJsonLines(jsonLines)
      .map((item) => JSON.stringify({ ...item, namespace }))
      .join('\n');
  }
  const result = await app.memory.importJsonLines(jsonLines);
  if (options.json) return toJson(result);
  return { text: `Imported ${result.imported} memories (${result.replaced} replaced existing ones).` };
}

async function withApp(run: (app: WarRoom) => Promise<CommandOutput> | CommandOutput): Promise<void> {
  const app = openCliApp();
  try {
    const output = await run(app);
    if (output.text) console.log(output.text);
    process.exitCode = output.exitCode ?? 0;
  } finally {
    app.close();
  }
}

const namespaceOption = () => new Option('-n, --namespace <name>', 'limit to one namespace');
const jsonOption = () => new Option('--json', 'print JSON');

/** `warroom memory …`: inspect, search, correct and delete project memory offline. */
export function registerMemoryCommands(program: Command): void {
  const memory = program.command('memory').description('search, ingest, inspect, export and delete project memory');

  memory
    .command('search')
    .description('hybrid (full-text + vector) search, ranked, with why each result matched')
    .argument('<query...>', 'what to look for')
    .addOption(namespaceOption())
    .option('-k, --kind <kind>', `only this kind (repeatable): ${MemoryKindSchema.options.join(', ')}`, parseKind)
    .option('-l, --limit <n>', 'number of results (default 10)', parsePositiveInt)
    .option('--since <time>', 'only items updated since this date', parseTime)
    .addOption(new Option('--mode <mode>', 'retrieval method').choices(['hybrid', 'full-text', 'vector']))
    .addOption(jsonOption())
    .action((query: string[], options) => withApp((app) => searchCommand(app, query.join(' '), options)));

  memory
    .command('ingest')
    .description('index a project directory (respects .gitignore; only changed files are re-read)')
    .argument('<dir>', 'project directory')
    .addOption(new Option('-n, --namespace <name>', 'namespace to index into (default: the directory name)'))
    .option('--max-file-size <bytes>', 'skip files larger than this (default 1 MiB)', parsePositiveInt)
    .addOption(jsonOption())
    .action((directory: string, options: CommonOptions & { maxFileSize?: number }) =>
      withApp(async (app) => {
        const controller = new AbortController();
        const cancel = () => controller.abort();
        process.once('SIGINT', cancel);
        try {
          return await ingestCommand(app, directory, {
            ...options,
            namespace: options.namespace ?? projectNamespace(path.resolve(directory)),
            signal: controller.signal,
            progress: !options.json && process.stderr.isTTY,
          });
        } finally {
          process.removeListener('SIGINT', cancel);
        }
      }),
    );

  memory
    .command('list')
    .description('list memories, most recently updated first')
    .addOption(namespaceOption())
    .option('-k, --kind <kind>', 'only this kind (repeatable)', parseKind)
    .option('--pinned', 'only pinned items')
    .option('-l, --limit <n>', 'page size (default 50)', parsePositiveInt)
    .option('--offset <n>', 'skip this many', (value) => Number.parseInt(value, 10))
    .addOption(jsonOption())
    .action((options) => withApp((app) => listCommand(app, options)));

  memory
    .command('show')
    .description('show one memory in full')
    .argument('<id>')
    .addOption(namespaceOption())
    .addOption(jsonOption())
    .action((id: string, options: CommonOptions) => withApp((app) => showCommand(app, id, options)));

  memory
    .command('rm')
    .description('delete memories by id, or a whole namespace with --all')
    .argument('[ids...]')
    .addOption(namespaceOption())
    .option('--all', 'delete everything in --namespace')
    .addOption(jsonOption())
    .action((ids: string[], options: CommonOptions & { all?: boolean }) =>
      withApp((app) => removeCommand(app, ids, options)),
    );

  memory
    .command('stats')
    .description('items, chunks and files per namespace, and the embedder in use')
    .addOption(namespaceOption())
    .addOption(jsonOption())
    .action((options: CommonOptions) => withApp((app) => statsCommand(app, options)));

  memory
    .command('export')
    .description('write memories as JSON lines (to a file, or to stdout)')
    .argument('[file]')
    .addOption(namespaceOption())
    .addOption(jsonOption())
    .action((file: string | undefined, options: CommonOptions) => withApp((app) => exportCommand(app, file, options)));

  memory
    .command('import')
    .description('import JSON lines written by export; a bad line refuses the whole file')
    .argument('<file>')
    .addOption(new Option('-n, --namespace <name>', 'put every imported item into this namespace'))
    .addOption(jsonOption())
    .action((file: string, options: CommonOptions) => withApp((app) => importCommand(app, file, options)));
}
