import type Database from 'better-sqlite3';
import path from 'node:path';
import type { IngestEvent } from '@shared/memory';
import { projectNamespace } from '@shared/memory-namespaces';
import type { Embedder } from './embedder';
import { assertDirectory, ingestDirectory, type IngestOptions, type IngestReport } from './ingest';
import { exportLine, importJsonLines, type ImportResult } from './jsonl';
import type { MemoryItem } from './port';
import { SqliteMemoryStore, type VectorSyncProgress } from './sqlite/sqlite-memory-store';
import { loadVectorExtension } from './sqlite/vector-index';

const MMAP_BYTES = 512 * 1024 * 1024;
const PAGE_CACHE_KIB = 64 * 1024;

/** How memory keeps secrets out: the app's redactor (nothing is redacted without one, as in tests). */
export interface MemoryRedaction {
  redact(text: string): Promise<string>;
  redactDeep<T>(value: T): Promise<T>;
}

const NO_REDACTION: MemoryRedaction = {
  redact: (text) => Promise.resolve(text),
  redactDeep: (value) => Promise.resolve(value),
};

/**
 * Project memory as the hosts use it: the store plus the long operations (ingest, re-embedding,
 * export, import) with their progress reporting. With a redactor, no secret is stored (items, ingested
 * files) or exported (items stored before redaction existed included).
 */
export class MemoryService {
  readonly store: SqliteMemoryStore;

  constructor(
    db: Database.Database,
    embedder: Embedder | null,
    now?: () => Date,
    private readonly redaction: MemoryRedaction = NO_REDACTION,
  ) {
    // Searches read scattered pages of a large index (FTS doclists, vector chunks): memory-mapped I/O
    // and a bigger page cache keep those reads out of read() calls, which roughly halves search latency
    // on a 100k-chunk memory. Both only cap address space and cache; nothing is allocated up front.
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    loadVectorExtension(db);
    this.store = new SqliteMemoryStore({ db, embedder, now, redactDeep: (value) => redaction.redactDeep(value) });
  }

  /** Re-embeds what the current embedder has not embedded yet (all of it after an embedder change). */
  syncVectors(onProgress?: (progress: VectorSyncProgress) => void, signal?: AbortSignal) {
    return this.store.syncVectors({ onProgress, signal });
  }

  /** Re-embedding as a stream of progress events for the API; closing the stream stops it between batches. */
  syncVectorsEvents(signal?: AbortSignal): AsyncGenerator<VectorSyncProgress> {
    return streamProgress<VectorSyncProgress>(
      (emit, innerSignal) => this.syncVectors(emit, innerSignal).then(() => undefined),
      signal,
    );
  }

  /** Ingests a directory; the vector index is brought up to date first, so new and old chunks agree. */
  async ingest(
    options: Omit<IngestOptions, 'namespace'> & {
      namespace?: string;
      onVectorProgress?: (progress: VectorSyncProgress) => void;
    },
  ): Promise<IngestReport> {
    if (this.store.vectorState() === 'stale') await this.syncVectors(options.onVectorProgress, options.signal);
    return ingestDirectory(this.store, {
      redact: (text) => this.redaction.redact(text),
      ...options,
      namespace: options.namespace ?? projectNamespace(path.resolve(options.root)),
    });
  }

  /**
   * The same ingest as a stream of events for the API; the stream's end (or abort) cancels the ingest.
   * The directory is checked before the stream starts, so a wrong path is an ordinary error.
   */
  ingestEvents(
    options: { root: string; namespace?: string; maxFileBytes?: number },
    signal?: AbortSignal,
  ): AsyncGenerator<IngestEvent> {
    assertDirectory(options.root);
    return this.streamIngest(options, signal);
  }

  private streamIngest(
    options: { root: string; namespace?: string; maxFileBytes?: number },
    signal?: AbortSignal,
  ): AsyncGenerator<IngestEvent> {
    return streamProgress<IngestEvent>(async (emit, innerSignal) => {
      const report = await this.ingest({
        ...options,
        signal: innerSignal,
        onProgress: (progress) => emit({ type: 'progress', ...progress }),
        onVectorProgress: (progress) => emit({ type: 'vectors', ...progress }),
      });
      emit({ type: 'done', report });
    }, signal);
  }

  /** The memory of the given namespaces (or all) as JSON lines, oldest item first, secrets redacted. */
  async exportJsonLines(namespaces?: readonly string[]): Promise<{ jsonLines: string; count: number }> {
    const items: MemoryItem[] = await this.redaction.redactDeep([...this.store.allItems(namespaces)]);
    return { jsonLines: items.map((item) => `${exportLine(item)}\n`).join(''), count: items.length };
  }

  importJsonLines(jsonLines: string, signal?: AbortSignal): Promise<ImportResult> {
    return importJsonLines(this.store, jsonLines, { signal });
  }
}

/**
 * Runs a long operation that reports progress through a callback, and hands that progress out as an
 * async stream. When the consumer stops reading (or `signal` aborts), the operation's own signal aborts.
 */
async function* streamProgress<Event>(
  run: (emit: (event: Event) => void, signal: AbortSignal) => Promise<void>,
  signal?: AbortSignal,
): AsyncGenerator<Event> {
  const controller = new AbortController();
  const abort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', abort, { once: true });
  const queue: Event[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  let failure: unknown = null;
  const running = run((event) => {
    queue.push(event);
    wake?.();
  }, controller.signal)
    .catch((error: unknown) => {
      failure = error;
    })
    .finally(() => {
      finished = true;
      wake?.();
    });
  try {
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    await running;
    if (failure) throw failure;
  } finally {
    controller.abort();
    signal?.removeEventListener('abort', abort);
  }
}
