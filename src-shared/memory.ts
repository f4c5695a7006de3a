import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';

/**
 * Project memory over the API: what the memory inspector page and the CLI need to search, read,
 * correct, delete, ingest, export and import memories.
 */
export const MemoryKindSchema = z.enum(['task-summary', 'error-resolution', 'decision', 'code', 'document', 'note']);

const Namespace = z.string().trim().min(1).max(200);
const Timestamp = z.iso.datetime();
const MemoryId = z.string().min(1).max(200);

export const MemoryProvenanceSchema = z.object({
  runId: z.string().optional(),
  nodeId: z.string().optional(),
  file: z.string().optional(),
  lineStart: z.int().positive().optional(),
  lineEnd: z.int().positive().optional(),
});

export const MemoryItemSchema = z.object({
  id: z.string(),
  namespace: z.string(),
  kind: MemoryKindSchema,
  text: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  provenance: MemoryProvenanceSchema,
  pinned: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
});
export type MemoryItemDto = z.infer<typeof MemoryItemSchema>;

export const MemorySearchInputSchema = z.object({
  query: z.string().trim().min(1).max(4000),
  namespaces: z.array(Namespace).max(50).optional(),
  kinds: z.array(MemoryKindSchema).optional(),
  since: Timestamp.optional(),
  until: Timestamp.optional(),
  limit: z.int().min(1).max(200).default(10),
  mode: z.enum(['hybrid', 'full-text', 'vector']).default('hybrid'),
});

const LineRangeSchema = z.object({ start: z.int(), end: z.int() });

/**
 * One search result. An ingested file is one hit: its best-matching chunk is the excerpt (with its line
 * range), `otherLines` lists the file's other matching chunks, and `terms` are the excerpt's words that
 * matched the query (lower-cased), for highlighting.
 */
export const MemorySearchHitSchema = z.object({
  item: MemoryItemSchema,
  score: z.number(),
  reasons: z.array(z.string()),
  excerpt: z.string(),
  lines: LineRangeSchema.optional(),
  terms: z.array(z.string()).optional(),
  otherLines: z.array(LineRangeSchema).optional(),
});

export const MemoryListInputSchema = z.object({
  namespaces: z.array(Namespace).max(50).optional(),
  kinds: z.array(MemoryKindSchema).optional(),
  pinned: z.boolean().optional(),
  since: Timestamp.optional(),
  until: Timestamp.optional(),
  file: z.string().max(4000).optional(),
  offset: z.int().min(0).default(0),
  limit: z.int().min(1).max(500).default(50),
});

export const MemoryPageSchema = z.object({
  items: z.array(MemoryItemSchema),
  total: z.int(),
  offset: z.int(),
  nextOffset: z.int().nullable(),
});

export const MemoryUpdateInputSchema = z.object({
  id: MemoryId,
  text: z.string().trim().min(1).max(1_000_000).optional(),
  kind: MemoryKindSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  pinned: z.boolean().optional(),
});

const EmbedderIdentitySchema = z.object({ id: z.string(), dimension: z.int() });

export const MemoryStatsSchema = z.object({
  namespaces: z.array(
    z.object({
      namespace: z.string(),
      items: z.int(),
      chunks: z.int(),
      pinned: z.int(),
      files: z.int(),
      byKind: z.partialRecord(MemoryKindSchema, z.int()),
      lastUpdatedAt: Timestamp.nullable(),
    }),
  ),
  totals: z.object({ items: z.int(), chunks: z.int(), pinned: z.int(), files: z.int() }),
  vectors: z.object({
    state: z.enum(['off', 'ready', 'stale']),
    embedder: EmbedderIdentitySchema.nullable(),
    indexedWith: EmbedderIdentitySchema.nullable(),
    chunksWithoutVector: z.int(),
  }),
});

export const IngestReportSchema = z.object({
  namespace: z.string(),
  root: z.string(),
  filesFound: z.int(),
  filesIndexed: z.int(),
  filesUnchanged: z.int(),
  filesRemoved: z.int(),
  chunksIndexed: z.int(),
  skipped: z.array(
    z.object({
      path: z.string(),
      reason: z.enum(['binary', 'too-large', 'unreadable', 'not-utf8', 'sensitive']),
      detail: z.string(),
    }),
  ),
  cancelled: z.boolean(),
  durationMs: z.number(),
});
export type IngestReportDto = z.infer<typeof IngestReportSchema>;

/** The ingest stream: progress events, then one `done` event with the report. Closing the stream cancels. */
export const IngestEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    phase: z.enum(['scanning', 'indexing', 'done']),
    filesFound: z.int(),
    filesDone: z.int(),
    chunksIndexed: z.int(),
    currentFile: z.string().nullable(),
  }),
  z.object({ type: z.literal('vectors'), done: z.int(), total: z.int() }),
  z.object({ type: z.literal('done'), report: IngestReportSchema }),
]);
export type IngestEvent = z.infer<typeof IngestEventSchema>;

export const memoryContract = {
  search: oc.input(MemorySearchInputSchema).output(z.array(MemorySearchHitSchema)),
  get: oc.input(z.object({ id: MemoryId })).output(MemoryItemSchema),
  list: oc.input(MemoryListInputSchema).output(MemoryPageSchema),
  update: oc.input(MemoryUpdateInputSchema).output(MemoryItemSchema),
  delete: oc.input(z.object({ ids: z.array(MemoryId).min(1).max(10_000) })).output(z.object({ deleted: z.int() })),
  pin: oc.input(z.object({ id: MemoryId, pinned: z.boolean() })).output(MemoryItemSchema),
  stats: oc.input(z.object({ namespace: Namespace.optional() })).output(MemoryStatsSchema),
  ingest: oc
    .input(
      z.object({
        directory: z.string().trim().min(1).max(4000),
        namespace: Namespace.optional(),
        maxFileBytes: z.int().positive().max(100_000_000).optional(),
      }),
    )
    .output(eventIterator(IngestEventSchema)),
  /** Brings the vector index up to date with the current embedder (all of it after a change), with progress. */
  reembed: oc.output(eventIterator(z.object({ done: z.int(), total: z.int() }))),
  export: oc
    .input(z.object({ namespaces: z.array(Namespace).max(50).optional() }))
    .output(z.object({ jsonLines: z.string(), count: z.int() })),
  import: oc
    .input(z.object({ jsonLines: z.string().max(200_000_000) }))
    .output(z.object({ imported: z.int(), replaced: z.int() })),
};
