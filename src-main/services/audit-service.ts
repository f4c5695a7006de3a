import {
  NewAuditEntrySchema,
  type AuditActor,
  type AuditEntry,
  type AuditExportFormat,
  type AuditFilter,
  type AuditVerification,
  type NewAuditEntry,
} from '@shared/audit';
import type { AuditRecorder } from '../store/audit-port';
import type { AuditRepository } from '../store/audit-repository';

export interface AuditServiceDeps {
  /**
   * The redactor's synchronous pass (known secret values): every string of an entry's details goes
   * through it, so a path or a name that happens to hold a secret is not kept in the log.
   */
  redact: (text: string) => string;
  /** The image tag the sandbox runs code of a language in. */
  sandboxImage: (language: string) => string;
  /** Who a person acting through this process is (see AuditRecorder.humanActor). */
  humanActor: AuditActor;
}

export interface AuditExport {
  fileName: string;
  mediaType: string;
  text: string;
  count: number;
}

const CSV_COLUMNS = ['seq', 'at', 'kind', 'runId', 'nodeId', 'actor', 'details', 'prevHash', 'hash'] as const;

/** Records, lists, verifies and exports the audit log; the one writer of the table in this process. */
export class AuditService implements AuditRecorder {
  readonly humanActor: AuditActor;

  constructor(
    private readonly repository: AuditRepository,
    private readonly deps: AuditServiceDeps,
  ) {
    this.humanActor = deps.humanActor;
  }

  record(entry: NewAuditEntry): void {
    // Parsed here, not trusted from the caller's type: the log accepts only the details each kind declares.
    const parsed = NewAuditEntrySchema.parse(entry);
    this.repository.append({ ...parsed, details: redactStrings(parsed.details, this.deps.redact) } as NewAuditEntry);
  }

  sandboxImage(language: string): string {
    return this.deps.sandboxImage(language);
  }

  list(filter: AuditFilter): { entries: AuditEntry[]; hasMore: boolean } {
    return this.repository.list(filter);
  }

  /** Every matching entry in seq order, read a page at a time. */
  each(filter: Omit<AuditFilter, 'limit' | 'afterSeq'>): Generator<AuditEntry> {
    return this.repository.each(filter);
  }

  verify(): AuditVerification {
    return this.repository.verify();
  }

  export(filter: Omit<AuditFilter, 'limit' | 'afterSeq'>, format: AuditExportFormat, now: Date): AuditExport {
    const entries = [...this.repository.each(filter)];
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    if (format === 'json') {
      return {
        fileName: `warroom-audit-${stamp}.json`,
        mediaType: 'application/json',
        text: `${JSON.stringify(entries, null, 2)}\n`,
        count: entries.length,
      };
    }
    const lines = [CSV_COLUMNS.join(',')];
    for (const entry of entries) {
      lines.push(
        CSV_COLUMNS.map((column) =>
          csvField(column === 'details' ? JSON.stringify(entry.details) : entry[column]),
        ).join(','),
      );
    }
    return {
      fileName: `warroom-audit-${stamp}.csv`,
      mediaType: 'text/csv',
      text: `${lines.join('\r\n')}\r\n`,
      count: entries.length,
    };
  }
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function redactStrings<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactStrings(item, redact)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, field]) => [key, redactStrings(field, redact)]),
    ) as T;
  }
  return value;
}
