import { useState } from 'react';
import type { AuditVerification } from '@shared/audit';
import { describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { ErrorMessage, Panel } from '../../ui/components';

const entries = (count: number) => `${count} ${count === 1 ? 'entry' : 'entries'}`;

/** Recomputes the hash chain on demand and says whether it holds, or where it first breaks. */
export function VerifyPanel() {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.audit.verify());
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="Integrity">
      <p className="muted small">
        Each entry carries the hash of the one before it; verifying recomputes every hash, so an entry edited or removed
        outside War Room shows up at the first one touched.
      </p>
      <button type="button" className="button" disabled={busy} onClick={() => void verify()}>
        {busy ? 'Verifying…' : 'Verify chain'}
      </button>
      <ErrorMessage error={error} />
      {result ? (
        result.intact ? (
          <p className="success-message" role="status" data-testid="audit-verify-result">
            Intact: {entries(result.count)}, last hash <code>{result.lastHash.slice(0, 16)}…</code>
          </p>
        ) : (
          <p className="error-message" role="alert" data-testid="audit-verify-result">
            Broken at entry {result.brokenAt.seq} ({result.brokenAt.reason}): {result.brokenAt.message}.{' '}
            {entries(result.count)} before it intact.
          </p>
        )
      ) : null}
    </Panel>
  );
}
