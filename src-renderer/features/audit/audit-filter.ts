import type { AuditFilter, AuditKind } from '@shared/audit';

/** What the page's filter fields hold: empty strings for "any". */
export interface AuditFilterFields {
  kind: AuditKind | '';
  runId: string;
  /** A `datetime-local` value (local time, no zone), or ''. */
  since: string;
}

export const NO_AUDIT_FILTER: AuditFilterFields = { kind: '', runId: '', since: '' };

/** The fields as the API's filter; a local time becomes the instant it names in this browser's zone. */
export function auditFilterOf(fields: AuditFilterFields): Omit<AuditFilter, 'limit' | 'afterSeq'> {
  const since = fields.since ? new Date(fields.since) : null;
  return {
    ...(fields.kind ? { kinds: [fields.kind] } : {}),
    ...(fields.runId.trim() ? { runId: fields.runId.trim() } : {}),
    ...(since && !Number.isNaN(since.getTime()) ? { since: since.toISOString() } : {}),
  };
}
