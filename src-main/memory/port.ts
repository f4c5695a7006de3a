import type { MemoryKindSchema } from '@shared/memory';
import type { z } from 'zod';

/**
 * The port through which the engine reads and writes project memory. The SQLite adapter (FTS5 +
 * sqlite-vec) implements it; the engine never touches the database directly.
 */
export type MemoryKind = z.infer<typeof MemoryKindSchema>;

export interface MemoryProvenance {
  runId?: string;
  nodeId?: string;
  file?: string;
  lineStart?: number;
  lineEnd?: number;
}

export interface NewMemoryItem {
  namespace: string;
  kind: MemoryKind;
  text: string;
  metadata?: Record<string, unknown>;
  provenance?: MemoryProvenance;
  pinned?: boolean;
}

export interface MemoryItem extends Required<Omit<NewMemoryItem, 'provenance'>> {
  id: string;
  provenance: MemoryProvenance;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

export interface MemorySearchOptions {
  namespaces?: string[];
  kinds?: MemoryKind[];
  limit?: number;
  /** ISO timestamp: only items updated at or after it. */
  since?: string;
  /** ISO timestamp: only items updated at or before it. */
  until?: string;
  /** Which retrieval to use; hybrid (the default) fuses full-text and vector ranks. */
  mode?: 'hybrid' | 'full-text' | 'vector';
}

export interface MemorySearchHit {
  item: MemoryItem;
  score: number;
  /** Why it matched, e.g. "full-text rank 2, vector rank 5, pinned". */
  reasons: string[];
  /** The part of the item that matched best (long items are searched chunk by chunk). */
  excerpt: string;
  /** Line range of that part in `item.provenance.file`, when the item came from a file. */
  lines?: { start: number; end: number };
  /**
   * The excerpt's words that match the query (exactly or by stem), lower-cased, for highlighting.
   */
  terms?: string[];
  /** An ingested file is one hit: the line ranges of its other chunks that matched, in file order. */
  otherLines?: Array<{ start: number; end: number }>;
}

export interface MemoryStoreResult {
  item: MemoryItem;
  /** What happened on insert: stored as new, merged into a near-duplicate, or skipped as a duplicate. */
  outcome: 'stored' | 'merged' | 'skipped';
}

export interface MemoryStore {
  search(query: string, options?: MemorySearchOptions): Promise<MemorySearchHit[]>;
  store(item: NewMemoryItem): Promise<MemoryStoreResult>;
  /** Records that these items were put in front of a model (sets their "last used" time). */
  markUsed?(ids: readonly string[]): void;
}
