import { z } from 'zod';
import { formatPath } from '@shared/errors';
import { MemoryKindSchema } from '@shared/memory';
import { MemoryImportError, type ImportProblem } from './errors';
import type { MemoryItem } from './port';
import type { SqliteMemoryStore } from './sqlite/sqlite-memory-store';

/** One exported item per line: everything needed to restore it exactly (vectors are re-computed). */
const ExportedItemSchema = z.strictObject({
  id: z.string().min(1).max(200),
  namespace: z.string().min(1).max(200),
  kind: MemoryKindSchema,
  text: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  provenance: z.strictObject({
    runId: z.string().optional(),
    nodeId: z.string().optional(),
    file: z.string().optional(),
    lineStart: z.int().positive().optional(),
    lineEnd: z.int().positive().optional(),
  }),
  pinned: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

export function exportLine(item: MemoryItem): string {
  return JSON.stringify({
    id: item.id,
    namespace: item.namespace,
    kind: item.kind,
    text: item.text,
    metadata: item.metadata,
    provenance: item.provenance,
    pinned: item.pinned,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    lastUsedAt: item.lastUsedAt,
  });
}

export interface ImportResult {
  imported: number;
  /** Items whose id already existed and were replaced by the imported version. */
  replaced: number;
}

/**
 * Imports JSON lines written by export. Every line is validated first; any bad line refuses the whole
 * import (with each bad line's number), and the valid input is then written in one transaction, so an
 * import never leaves memory half-written. Items keep their ids and timestamps; an id that already
 * exists is replaced.
 */
export async function importJsonLines(
  store: SqliteMemoryStore,
  jsonLines: string,
  options: { signal?: AbortSignal } = {},
): Promise<ImportResult> {
  const items = parseJsonLines(jsonLines);
  const existing = items.filter((item) => {
    try {
      store.get(item.id);
      return true;
    } catch {
      return false;
    }
  }).length;
  await store.insertMany(
    items.map(({ id, createdAt, updatedAt, lastUsedAt, ...item }) => ({
      ...item,
      identity: { id, createdAt, updatedAt, lastUsedAt },
    })),
    { replaceExisting: true, signal: options.signal },
  );
  return { imported: items.length, replaced: existing };
}

const MAX_PROBLEMS = 20;

export function parseJsonLines(jsonLines: string): MemoryItem[] {
  const problems: ImportProblem[] = [];
  const items: MemoryItem[] = [];
  const seen = new Map<string, number>();
  jsonLines.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '' || problems.length >= MAX_PROBLEMS) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      problems.push({ line, message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` });
      return;
    }
    const result = ExportedItemSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      problems.push({ line, message: issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid item' });
      return;
    }
    const firstLine = seen.get(result.data.id);
    if (firstLine !== undefined) {
      problems.push({ line, message: `id ${result.data.id} already appears on line ${firstLine}` });
      return;
    }
    seen.set(result.data.id, line);
    items.push(result.data as MemoryItem);
  });
  if (problems.length > 0) throw new MemoryImportError(problems);
  return items;
}
