import type { EmbedderIdentity } from '../embedder';
import type { MemoryKind } from '../port';
import type { StatementCache } from './statements';
import type { VectorIndexState, VectorSync } from './vector-sync';

export interface NamespaceStats {
  namespace: string;
  items: number;
  chunks: number;
  pinned: number;
  files: number;
  byKind: Partial<Record<MemoryKind, number>>;
  lastUpdatedAt: string | null;
}

export interface MemoryStats {
  namespaces: NamespaceStats[];
  totals: { items: number; chunks: number; pinned: number; files: number };
  vectors: {
    state: VectorIndexState;
    embedder: EmbedderIdentity | null;
    /** The embedder the stored vectors were built with, when it differs from the current one. */
    indexedWith: EmbedderIdentity | null;
    chunksWithoutVector: number;
  };
}

/** Counts per namespace (and per kind in it), and whether the vector index is usable. */
export function memoryStats(statements: StatementCache, vectors: VectorSync, namespace?: string): MemoryStats {
  const filter = namespace === undefined ? '' : 'WHERE namespace = ?';
  const parameters = namespace === undefined ? [] : [namespace];
  const rows = statements
    .sql(
      `SELECT namespace, kind, count(*) AS items, sum(pinned) AS pinned, max(updated_at) AS last,
           (SELECT count(*) FROM memory_chunks c JOIN memory_items j ON j.seq = c.item_seq
             WHERE j.namespace = i.namespace AND j.kind = i.kind) AS chunks
         FROM memory_items i ${filter} GROUP BY namespace, kind ORDER BY namespace, kind`,
    )
    .all(...parameters) as Array<{
    namespace: string;
    kind: MemoryKind;
    items: number;
    pinned: number;
    last: string;
    chunks: number;
  }>;
  const files = new Map(
    (
      statements
        .sql(`SELECT namespace, count(*) AS files FROM memory_files ${filter} GROUP BY namespace`)
        .all(...parameters) as Array<{ namespace: string; files: number }>
    ).map((row) => [row.namespace, row.files]),
  );
  const byNamespace = new Map<string, NamespaceStats>();
  for (const row of rows) {
    const entry = byNamespace.get(row.namespace) ?? {
      namespace: row.namespace,
      items: 0,
      chunks: 0,
      pinned: 0,
      files: files.get(row.namespace) ?? 0,
      byKind: {},
      lastUpdatedAt: null,
    };
    entry.items += row.items;
    entry.chunks += row.chunks;
    entry.pinned += row.pinned;
    entry.byKind[row.kind] = row.items;
    if (entry.lastUpdatedAt === null || row.last > entry.lastUpdatedAt) entry.lastUpdatedAt = row.last;
    byNamespace.set(row.namespace, entry);
  }
  const namespaces = [...byNamespace.values()];
  return {
    namespaces,
    totals: {
      items: sum(namespaces.map((entry) => entry.items)),
      chunks: sum(namespaces.map((entry) => entry.chunks)),
      pinned: sum(namespaces.map((entry) => entry.pinned)),
      files: sum([...files.values()]),
    },
    vectors: {
      state: vectors.state(),
      embedder: vectors.current(),
      indexedWith: vectors.indexedWithOther(),
      chunksWithoutVector: vectors.embedder ? vectors.chunksWithoutVector() : 0,
    },
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
