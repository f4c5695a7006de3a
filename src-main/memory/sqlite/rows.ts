import type { MemoryItem, MemoryKind, MemoryProvenance } from '../port';

/** A row of `memory_items`, as SQLite returns it. */
export interface ItemRow {
  seq: number;
  id: string;
  namespace: string;
  kind: MemoryKind;
  text: string;
  metadata: string;
  run_id: string | null;
  node_id: string | null;
  file: string | null;
  line_start: number | null;
  line_end: number | null;
  pinned: number;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
}

export function toItem(row: ItemRow): MemoryItem {
  const provenance: MemoryProvenance = {};
  if (row.run_id !== null) provenance.runId = row.run_id;
  if (row.node_id !== null) provenance.nodeId = row.node_id;
  if (row.file !== null) provenance.file = row.file;
  if (row.line_start !== null) provenance.lineStart = row.line_start;
  if (row.line_end !== null) provenance.lineEnd = row.line_end;
  return {
    id: row.id,
    namespace: row.namespace,
    kind: row.kind,
    text: row.text,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    provenance,
    pinned: row.pinned === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
  };
}

/** SQL conditions (and their parameters) for the filters listing and search share; `prefix` names the items table. */
export function itemFilters(
  options: { namespaces?: readonly string[]; kinds?: readonly MemoryKind[]; since?: string; until?: string },
  prefix = '',
): { where: string[]; parameters: unknown[] } {
  const where: string[] = [];
  const parameters: unknown[] = [];
  if (options.namespaces?.length) {
    where.push(`${prefix}namespace IN (${options.namespaces.map(() => '?').join(', ')})`);
    parameters.push(...options.namespaces);
  }
  if (options.kinds?.length) {
    where.push(`${prefix}kind IN (${options.kinds.map(() => '?').join(', ')})`);
    parameters.push(...options.kinds);
  }
  if (options.since) {
    where.push(`${prefix}updated_at >= ?`);
    parameters.push(options.since);
  }
  if (options.until) {
    where.push(`${prefix}updated_at <= ?`);
    parameters.push(options.until);
  }
  return { where, parameters };
}
