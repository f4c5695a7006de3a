import ignore, { type Ignore } from 'ignore';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { sensitiveFileKind } from '@shared/sensitive-files';
import { chunkText } from './chunking';
import { IngestPathError } from './errors';
import type { MemoryKind } from './port';
import type { SqliteMemoryStore } from './sqlite/sqlite-memory-store';

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** Bytes sniffed for a NUL byte: the same heuristic git uses to call a file binary. */
const BINARY_SNIFF_BYTES = 8000;

const YIELD_EVERY_MS = 25;

const DOCUMENT_EXTENSIONS = new Set(['.md', '.mdx', '.markdown', '.txt', '.rst', '.adoc', '.org', '.tex']);

export interface IngestOptions {
  root: string;
  namespace: string;
  maxFileBytes?: number;
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  /** Replaces the secrets in a file's text before it is chunked and stored (the app's redactor). */
  redact?: (text: string) => Promise<string>;
}

export interface IngestProgress {
  phase: 'scanning' | 'indexing' | 'done';
  filesFound: number;
  filesDone: number;
  chunksIndexed: number;
  currentFile: string | null;
}

export type SkipReason = 'binary' | 'too-large' | 'unreadable' | 'not-utf8' | 'sensitive';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  detail: string;
}

export interface IngestReport {
  namespace: string;
  root: string;
  filesFound: number;
  /** Files read and (re-)indexed in this run. */
  filesIndexed: number;
  /** Files left as they were: same size and modification time, or same content. */
  filesUnchanged: number;
  /** Files indexed before that no longer exist (or are now ignored); their chunks were removed. */
  filesRemoved: number;
  chunksIndexed: number;
  skipped: SkippedFile[];
  cancelled: boolean;
  durationMs: number;
}

/**
 * Indexes a project directory into memory: walks it respecting every `.gitignore` on the way (and never
 * entering `.git`), skips binary and huge files, chunks the rest along line boundaries, and re-indexes
 * only what changed since the last run. Each file is replaced atomically, so a cancelled or failed run
 * leaves every file either fully old or fully new, and searches running meanwhile see consistent data.
 */
export async function ingestDirectory(store: SqliteMemoryStore, options: IngestOptions): Promise<IngestReport> {
  const startedAt = Date.now();
  const root = assertDirectory(options.root);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const report: IngestReport = {
    namespace: options.namespace,
    root,
    filesFound: 0,
    filesIndexed: 0,
    filesUnchanged: 0,
    filesRemoved: 0,
    chunksIndexed: 0,
    skipped: [],
    cancelled: false,
    durationMs: 0,
  };
  const progress = (phase: IngestProgress['phase'], filesDone: number, currentFile: string | null) =>
    options.onProgress?.({
      phase,
      filesFound: report.filesFound,
      filesDone,
      chunksIndexed: report.chunksIndexed,
      currentFile,
    });

  progress('scanning', 0, null);
  const files = listProjectFiles(root, report.skipped);
  report.filesFound = files.length;
  const known = store.fileRecords(options.namespace, root);
  const seen = new Set<string>();

  let lastYield = Date.now();
  try {
    for (const [index, relativePath] of files.entries()) {
      // Hand the event loop back now and then, so API calls (searches included) are served during a
      // long ingest instead of waiting for its end.
      if (Date.now() - lastYield > YIELD_EVERY_MS) {
        await setImmediate();
        lastYield = Date.now();
      }
      options.signal?.throwIfAborted();
      progress('indexing', index, relativePath);
      seen.add(relativePath);
      const chunks = await indexFile(store, options, root, relativePath, maxFileBytes, known.get(relativePath), report);
      report.chunksIndexed += chunks;
    }
    for (const relativePath of known.keys()) {
      if (seen.has(relativePath)) continue;
      store.removeFile(options.namespace, root, relativePath);
      report.filesRemoved++;
    }
  } catch (error) {
    if (!options.signal?.aborted) throw error;
    report.cancelled = true;
  }
  report.durationMs = Date.now() - startedAt;
  progress('done', report.filesIndexed + report.filesUnchanged + report.skipped.length, null);
  return report;
}

/** The absolute path of `directory`, or an IngestPathError when it is not a directory. */
export function assertDirectory(directory: string): string {
  const root = path.resolve(directory);
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory())
    throw new IngestPathError(`${root} is not a directory`);
  return root;
}

async function indexFile(
  store: SqliteMemoryStore,
  options: IngestOptions,
  root: string,
  relativePath: string,
  maxFileBytes: number,
  previous: { size: number; mtimeMs: number; contentHash: string } | undefined,
  report: IngestReport,
): Promise<number> {
  const absolute = path.join(root, relativePath);
  const skip = (reason: SkipReason, detail: string) => {
    report.skipped.push({ path: relativePath, reason, detail });
    if (previous) store.removeFile(options.namespace, root, relativePath);
    return 0;
  };
  // By name, before anything is read: an environment file or a key is never stored, redacted or not.
  const sensitive = sensitiveFileKind(relativePath);
  if (sensitive) return skip('sensitive', `${sensitive}: holds secrets, never stored in memory`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch (error) {
    return skip('unreadable', describe(error));
  }
  if (previous && previous.size === stat.size && previous.mtimeMs === stat.mtimeMs) {
    report.filesUnchanged++;
    return 0;
  }
  if (stat.size > maxFileBytes)
    return skip('too-large', `${formatBytes(stat.size)} is over the ${formatBytes(maxFileBytes)} limit`);
  let content: Buffer;
  try {
    content = fs.readFileSync(absolute);
  } catch (error) {
    return skip('unreadable', describe(error));
  }
  if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return skip('binary', 'contains NUL bytes');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return skip('not-utf8', 'is not valid UTF-8 text');
  }
  const contentHash = createHash('sha256').update(content).digest('hex');
  if (previous && previous.contentHash === contentHash) {
    store.touchFile(options.namespace, root, relativePath, stat.mtimeMs);
    report.filesUnchanged++;
    return 0;
  }
  // Redacted whole, before chunking, so a secret split across two chunks is still found.
  const chunks = chunkText(options.redact ? await options.redact(text) : text);
  await store.replaceFile(
    {
      namespace: options.namespace,
      root,
      path: relativePath,
      kind: kindOf(relativePath),
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      contentHash,
      chunkCount: chunks.length,
    },
    chunks,
    options.signal,
  );
  report.filesIndexed++;
  return chunks.length;
}

/**
 * Every regular file under `root` that git would not ignore, as sorted POSIX-style relative paths.
 * Nested `.gitignore` files apply to their own subtree, as in git. Symbolic links are not followed
 * (they could leave the project or loop).
 */
export function listProjectFiles(root: string, skipped: SkippedFile[] = []): string[] {
  const files: string[] = [];
  const walk = (directory: string, rules: Array<{ base: string; matcher: Ignore }>) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, directory), { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: directory || '.', reason: 'unreadable', detail: describe(error) });
      return;
    }
    const here = [...rules];
    const gitignore = entries.find((entry) => entry.isFile() && entry.name === '.gitignore');
    if (gitignore) {
      try {
        here.push({
          base: directory,
          matcher: ignore().add(fs.readFileSync(path.join(root, directory, '.gitignore'), 'utf8')),
        });
      } catch (error) {
        skipped.push({ path: posixJoin(directory, '.gitignore'), reason: 'unreadable', detail: describe(error) });
      }
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === '.git') continue;
      const relativePath = posixJoin(directory, entry.name);
      const isDirectory = entry.isDirectory();
      if (!isDirectory && !entry.isFile()) continue;
      if (isIgnored(here, relativePath, isDirectory)) continue;
      if (isDirectory) walk(relativePath, here);
      else files.push(relativePath);
    }
  };
  walk('', []);
  return files;
}

/** As git does: the deepest `.gitignore` with an opinion wins, so a nested `!pattern` can re-include. */
function isIgnored(
  rules: ReadonlyArray<{ base: string; matcher: Ignore }>,
  relativePath: string,
  isDirectory: boolean,
) {
  let ignored = false;
  for (const rule of rules) {
    const local = rule.base === '' ? relativePath : relativePath.slice(rule.base.length + 1);
    const verdict = rule.matcher.test(isDirectory ? `${local}/` : local);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

function posixJoin(directory: string, name: string): string {
  return directory === '' ? name : `${directory}/${name}`;
}

function kindOf(relativePath: string): MemoryKind {
  return DOCUMENT_EXTENSIONS.has(path.extname(relativePath).toLowerCase()) ? 'document' : 'code';
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
