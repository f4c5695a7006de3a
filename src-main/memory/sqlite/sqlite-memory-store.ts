import type Database from 'better-sqlite3';
import type { TextChunk } from '../chunking';
import type { Embedder } from '../embedder';
import type {
  MemoryItem,
  MemorySearchHit,
  MemorySearchOptions,
  MemoryStore,
  MemoryStoreResult,
  NewMemoryItem,
} from '../port';
import { IngestedFiles, type IngestedFile, type IngestedFileRecord } from './ingested-files';
import {
  MemoryItems,
  type ItemIdentity,
  type MemoryListOptions,
  type MemoryPage,
  type MemoryUpdate,
  type StoreOptions,
} from './items';
import { backfillChunkFields } from './chunk-fields';
import { COMMON_WORD_MIN_CHUNKS } from './full-text';
import { DEFAULT_FULL_TEXT_WEIGHTS, type FullTextWeights } from './full-text-scores';
import { DEFAULT_FUSION, type FusionWeights } from './ranking';
import { MemorySearch } from './search';
import { StatementCache } from './statements';
import { memoryStats, type MemoryStats } from './stats';
import { VectorSync, type VectorIndexState, type VectorSyncProgress } from './vector-sync';

// The types in the store's method signatures, so callers import them from the store's own module.
export type { IngestedFile, IngestedFileRecord, ItemIdentity, MemoryListOptions, MemoryPage, MemoryUpdate };
export type { MemoryStats, NamespaceStats } from './stats';
export type { StoreOptions, VectorIndexState, VectorSyncProgress };

export interface SqliteMemoryStoreOptions {
  /** An open profile database with the memory migration applied (and sqlite-vec loaded when embedding). */
  db: Database.Database;
  /** null: full-text-only mode. */
  embedder: Embedder | null;
  now?: () => Date;
  /** Below this many chunks no query word counts as common (see MemorySearch's full-text ranking). */
  commonWordMinChunks?: number;
  /** How the full-text rankings are weighed (the evaluation's tuning overrides them; the app never does). */
  fullTextWeights?: Partial<FullTextWeights>;
  /** How full-text and vector ranks are fused (likewise only the evaluation's tuning overrides it). */
  fusion?: Partial<FusionWeights>;
  /** Replaces the secrets in what is about to be stored (stored, updated, imported items); none by default. */
  redactDeep?: <T>(value: T) => Promise<T>;
}

/**
 * Project memory in the profile's SQLite database: items split into chunks, chunks indexed by FTS5
 * (BM25) and, when an embedder is configured, by vector (see VectorIndex). Search fuses both rankings
 * with reciprocal rank fusion, then boosts pinned and recently updated items (see rankHits).
 * Each job lives in its own module; they share one connection and one statement cache.
 */
export class SqliteMemoryStore implements MemoryStore {
  readonly embedder: Embedder | null;
  private readonly statements: StatementCache;
  private readonly vectors: VectorSync;
  private readonly items: MemoryItems;
  private readonly searcher: MemorySearch;
  private readonly files: IngestedFiles;
  private readonly redactDeep: <T>(value: T) => Promise<T>;

  constructor(options: SqliteMemoryStoreOptions) {
    this.redactDeep = options.redactDeep ?? ((value) => Promise.resolve(value));
    const now = options.now ?? (() => new Date());
    this.embedder = options.embedder;
    this.statements = new StatementCache(options.db);
    this.vectors = new VectorSync(this.statements, options.embedder);
    this.items = new MemoryItems(this.statements, this.vectors, now);
    this.searcher = new MemorySearch(this.statements, this.vectors, now, {
      commonWordMinChunks: options.commonWordMinChunks ?? COMMON_WORD_MIN_CHUNKS,
      weights: { ...DEFAULT_FULL_TEXT_WEIGHTS, ...options.fullTextWeights },
      fusion: { ...DEFAULT_FUSION, ...options.fusion },
    });
    backfillChunkFields(this.statements);
    this.files = new IngestedFiles(this.statements, this.items, now);
  }

  // ---- Items ---------------------------------------------------------------------------------------

  async store(item: NewMemoryItem, options?: StoreOptions): Promise<MemoryStoreResult> {
    return this.items.store(await this.redactDeep(item), options);
  }

  /**
   * Writes many items without duplicate detection (ingested file chunks, imports), all in one
   * transaction: either every item is written or none is.
   */
  async insertMany(
    items: ReadonlyArray<NewMemoryItem & { identity?: ItemIdentity }>,
    options?: { replaceExisting?: boolean; signal?: AbortSignal; inTransaction?: () => void },
  ): Promise<MemoryItem[]> {
    return this.items.insertMany(await this.redactDeep(items), options);
  }

  async update(id: string, patch: MemoryUpdate, signal?: AbortSignal): Promise<MemoryItem> {
    return this.items.update(id, await this.redactDeep(patch), signal);
  }

  setPinned(id: string, pinned: boolean): MemoryItem {
    return this.items.setPinned(id, pinned);
  }

  /** Deletes the items that exist among `ids`; returns how many were deleted. */
  delete(ids: readonly string[]): number {
    return this.statements.transaction(() => this.items.deleteInTransaction(ids));
  }

  /** Deletes everything in a namespace, ingested file records included. */
  deleteNamespace(namespace: string): number {
    return this.statements.transaction(() => {
      const ids = this.items.idsInNamespace(namespace);
      this.files.forgetNamespace(namespace);
      return this.items.deleteInTransaction(ids);
    });
  }

  markUsed(ids: readonly string[]): void {
    this.items.markUsed(ids);
  }

  get(id: string): MemoryItem {
    return this.items.get(id);
  }

  list(options?: MemoryListOptions): MemoryPage {
    return this.items.list(options);
  }

  /** Every item in insertion order, for export; rows are read lazily so memory use stays flat. */
  allItems(namespaces?: readonly string[]): Generator<MemoryItem> {
    return this.items.allItems(namespaces);
  }

  // ---- Search and stats ----------------------------------------------------------------------------

  search(query: string, options?: MemorySearchOptions): Promise<MemorySearchHit[]> {
    return this.searcher.search(query, options);
  }

  stats(namespace?: string): MemoryStats {
    return memoryStats(this.statements, this.vectors, namespace);
  }

  // ---- Vector index maintenance --------------------------------------------------------------------

  vectorState(): VectorIndexState {
    return this.vectors.state();
  }

  /** Re-embeds what the current embedder has not embedded yet (all of it after an embedder change). */
  syncVectors(options?: {
    onProgress?: (progress: VectorSyncProgress) => void;
    signal?: AbortSignal;
  }): Promise<VectorSyncProgress> {
    return this.vectors.sync(options);
  }

  // ---- Ingested files ------------------------------------------------------------------------------

  fileRecords(namespace: string, root: string): Map<string, IngestedFileRecord> {
    return this.files.records(namespace, root);
  }

  /** Records that a file was seen unchanged (only its modification time moved). */
  touchFile(namespace: string, root: string, path: string, mtimeMs: number): void {
    this.files.touch(namespace, root, path, mtimeMs);
  }

  /** Replaces a file's chunks with new ones, atomically. */
  replaceFile(file: IngestedFile, chunks: readonly TextChunk[], signal?: AbortSignal): Promise<void> {
    return this.files.replace(file, chunks, signal);
  }

  /** Forgets a file that was deleted, became ignored, or can no longer be indexed. */
  removeFile(namespace: string, root: string, path: string): void {
    this.files.remove(namespace, root, path);
  }
}
