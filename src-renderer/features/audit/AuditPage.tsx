import { useEffect, useState } from 'react';
import { AUDIT_KINDS, type AuditEntry, type AuditExportFormat, type AuditKind } from '@shared/audit';
import { summarizeAuditEntry } from '@shared/audit-summary';
import { deliverUnlessCancelled, describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import {
  EmptyState,
  ErrorMessage,
  LocalTime,
  PageHeader,
  PageLink,
  SuccessMessage,
  TableHead,
} from '../../ui/components';
import { downloadText } from '../../ui/files';
import { auditFilterOf, NO_AUDIT_FILTER, type AuditFilterFields } from './audit-filter';
import { VerifyPanel } from './VerifyPanel';

const PAGE = 200;

/** The audit log: what agents did to the machine and what people changed, filterable, verifiable, exportable. */
export function AuditPage() {
  const [draft, setDraft] = useState<AuditFilterFields>(NO_AUDIT_FILTER);
  const [applied, setApplied] = useState<AuditFilterFields>(NO_AUDIT_FILTER);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(
    () =>
      deliverUnlessCancelled(
        api.audit.list({ ...auditFilterOf(applied), limit: PAGE }),
        (page) => {
          setEntries(page.entries);
          setHasMore(page.hasMore);
        },
        setError,
      ),
    [applied],
  );

  const loadMore = async () => {
    const last = entries?.at(-1);
    if (!last) return;
    try {
      const page = await api.audit.list({ ...auditFilterOf(applied), afterSeq: last.seq, limit: PAGE });
      setEntries((current) => [...(current ?? []), ...page.entries]);
      setHasMore(page.hasMore);
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  const exportAs = async (format: AuditExportFormat) => {
    setError(null);
    setNotice(null);
    try {
      const file = await api.audit.export({ ...auditFilterOf(applied), format });
      downloadText(file.fileName, file.text, file.mediaType);
      setNotice(`Exported ${file.count} entries to ${file.fileName}.`);
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every file agents read or wrote, every sandbox execution and MCP call, approvals, and changes to settings, secrets (names only), memory and workflows. Append-only and hash-chained."
        actions={
          <>
            <button type="button" className="button" onClick={() => void exportAs('json')}>
              Export JSON
            </button>
            <button type="button" className="button" onClick={() => void exportAs('csv')}>
              Export CSV
            </button>
          </>
        }
      />
      <ErrorMessage error={error} />
      <SuccessMessage message={notice} />
      <VerifyPanel />
      <form
        className="memory-filters"
        aria-label="Audit filters"
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          setApplied(draft);
        }}
      >
        <select
          aria-label="Kind"
          value={draft.kind}
          onChange={(event) => setDraft({ ...draft, kind: event.target.value as AuditKind | '' })}
        >
          <option value="">All kinds</option>
          {AUDIT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
        <input
          type="text"
          aria-label="Run id"
          placeholder="Run id"
          value={draft.runId}
          onChange={(event) => setDraft({ ...draft, runId: event.target.value })}
        />
        <label className="muted small">
          Since{' '}
          <input
            type="datetime-local"
            aria-label="Since"
            value={draft.since}
            onChange={(event) => setDraft({ ...draft, since: event.target.value })}
          />
        </label>
        <button type="submit" className="button primary">
          Apply
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setDraft(NO_AUDIT_FILTER);
            setApplied(NO_AUDIT_FILTER);
          }}
        >
          Clear
        </button>
      </form>
      {entries === null ? null : entries.length === 0 ? (
        <EmptyState title="No audit entries match">
          <p className="muted">
            Entries appear as agents touch files, run code or call MCP tools, and as people change things.
          </p>
        </EmptyState>
      ) : (
        <table className="table" aria-label="Audit entries" data-testid="audit-table">
          <TableHead columns={['#', 'Time', 'Kind', 'Actor', 'Run', 'Node', 'What']} />
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.seq} data-testid="audit-row">
                <td>{entry.seq}</td>
                <td>
                  <LocalTime iso={entry.at} />
                </td>
                <td>
                  <code>{entry.kind}</code>
                </td>
                <td>{entry.actor}</td>
                <td>
                  {entry.runId ? (
                    <PageLink page="runs" item={entry.runId}>
                      {entry.runId}
                    </PageLink>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{entry.nodeId ?? '—'}</td>
                <td>{summarizeAuditEntry(entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore ? (
        <button type="button" className="button" onClick={() => void loadMore()}>
          Load more
        </button>
      ) : null}
    </>
  );
}
