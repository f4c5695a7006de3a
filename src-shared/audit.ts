import { oc } from '@orpc/contract';
import { z } from 'zod';

/**
 * The audit log: what agents did to the machine (files, sandbox executions, MCP calls) and what people
 * changed (approvals, settings, secrets, memory, workflow imports). Entries are append-only and
 * hash-chained: each one carries the hash of the one before, so an edited or removed entry breaks the
 * chain at that entry. Details hold names, sizes and hashes — never contents or secret values.
 */

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex');
/** A path relative to the run's project (or as given), already redacted. */
const AuditPath = z.string().max(4000);
const Name = z.string().max(500);

const FileDetails = z.object({ path: AuditPath, bytes: z.int().nonnegative(), sha256: Sha256 });

/** Each kind's details, one schema per kind: the kinds of the union below. */
export const AUDIT_DETAIL_SCHEMAS = {
  'file.read': FileDetails,
  'file.write': FileDetails,
  /** A directory listing; the hash is over the listing the agent saw. */
  'file.list': z.object({ path: AuditPath, entries: z.int().nonnegative(), sha256: Sha256 }),
  'sandbox.exec': z.object({
    language: z.string().max(50),
    image: Name,
    codeSha256: Sha256,
    exitCode: z.int(),
    termination: z.string().max(50),
    durationMs: z.number().nonnegative(),
  }),
  'mcp.call': z.object({ server: Name, tool: Name, argsSha256: Sha256, isError: z.boolean() }),
  /** A person's decision on a node waiting for approval (the node is the entry's nodeId). */
  'approval.decided': z.object({ decision: z.enum(['approve', 'reject', 'edit']) }),
  /** The sections and fields that changed; never their values. */
  'settings.changed': z.object({ fields: z.array(Name).max(500) }),
  /** `store` says which secret store: the app's own, or the MCP servers' `${secret:…}` values. */
  'secret.changed': z.object({ name: Name, store: z.enum(['app', 'mcp']), change: z.enum(['set', 'cleared']) }),
  'memory.deleted': z.object({ count: z.int().nonnegative(), ids: z.array(Name).max(100) }),
  'memory.imported': z.object({ imported: z.int().nonnegative(), replaced: z.int().nonnegative(), sha256: Sha256 }),
  'workflow.imported': z.object({
    workflowId: Name,
    name: Name,
    bytes: z.int().nonnegative(),
    sha256: Sha256,
    fileName: Name.nullable(),
  }),
} as const;

export type AuditKind = keyof typeof AUDIT_DETAIL_SCHEMAS;
export const AUDIT_KINDS = Object.keys(AUDIT_DETAIL_SCHEMAS) as AuditKind[];
export const AuditKindSchema = z.enum(AUDIT_KINDS as [AuditKind, ...AuditKind[]]);

/** Who acted: an agent node of a run, a person in the UI, the `warroom` command, or an MCP client. */
export const AuditActorSchema = z.enum(['agent', 'user', 'cli', 'mcp-client']);
export type AuditActor = z.infer<typeof AuditActorSchema>;

const entryOf = <K extends AuditKind>(kind: K) =>
  z.object({
    kind: z.literal(kind),
    runId: z.string().max(200).nullable(),
    nodeId: z.string().max(1000).nullable(),
    actor: AuditActorSchema,
    details: AUDIT_DETAIL_SCHEMAS[kind],
  });

/** What a recorder hands in; the log adds seq, time and the chain. */
export const NewAuditEntrySchema = z.discriminatedUnion('kind', [
  entryOf('file.read'),
  entryOf('file.write'),
  entryOf('file.list'),
  entryOf('sandbox.exec'),
  entryOf('mcp.call'),
  entryOf('approval.decided'),
  entryOf('settings.changed'),
  entryOf('secret.changed'),
  entryOf('memory.deleted'),
  entryOf('memory.imported'),
  entryOf('workflow.imported'),
]);
export type NewAuditEntry = z.infer<typeof NewAuditEntrySchema>;
export type NewAuditEntryOf<K extends AuditKind> = Extract<NewAuditEntry, { kind: K }>;

/** The hash the first entry links to. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * An entry as listed. Fields are kept as stored (details not re-validated per kind, times and hashes
 * not re-checked) so that a listing still shows an entry someone tampered with; `audit.verify` judges them.
 */
export const AuditEntrySchema = z.object({
  seq: z.int(),
  at: z.string(),
  prevHash: z.string(),
  hash: z.string(),
  kind: z.string(),
  runId: z.string().nullable(),
  nodeId: z.string().nullable(),
  actor: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditFilterSchema = z.object({
  /** Entries at or after this time (ISO 8601). */
  since: z.iso
    .datetime({ offset: true, message: 'since must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z' })
    .optional(),
  runId: z.string().trim().min(1).max(200).optional(),
  kinds: z.array(AuditKindSchema).max(AUDIT_KINDS.length).optional(),
  /** Entries with seq greater than this (paging forward). */
  afterSeq: z.int().nonnegative().optional(),
  limit: z.int().positive().max(10_000).optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AuditPageSchema = z.object({ entries: z.array(AuditEntrySchema), hasMore: z.boolean() });

export const AuditBreakReasonSchema = z.enum(['hash-mismatch', 'prev-hash-mismatch', 'seq-gap']);
export type AuditBreakReason = z.infer<typeof AuditBreakReasonSchema>;

export const AuditVerificationSchema = z.discriminatedUnion('intact', [
  z.object({ intact: z.literal(true), count: z.int().nonnegative(), lastHash: Sha256 }),
  z.object({
    intact: z.literal(false),
    count: z.int().nonnegative(),
    /** The first entry that does not fit the chain. */
    brokenAt: z.object({ seq: z.int(), reason: AuditBreakReasonSchema, message: z.string() }),
  }),
]);
export type AuditVerification = z.infer<typeof AuditVerificationSchema>;

export const AuditExportFormatSchema = z.enum(['json', 'csv']);
export type AuditExportFormat = z.infer<typeof AuditExportFormatSchema>;

export const auditContract = {
  list: oc.input(AuditFilterSchema).output(AuditPageSchema),
  verify: oc.output(AuditVerificationSchema),
  /** The filtered entries as a file's text (a JSON array, or CSV with the details as JSON). */
  export: oc
    .input(AuditFilterSchema.omit({ limit: true, afterSeq: true }).extend({ format: AuditExportFormatSchema }))
    .output(z.object({ fileName: z.string(), mediaType: z.string(), text: z.string(), count: z.int() })),
};
