import { useEffect, useState } from 'react';
import type { HealthReport, HealthStatus } from '@shared/health';
import { deliverUnlessCancelled, describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { ErrorMessage, LocalTime, Panel } from '../../ui/components';
import { HealthThresholds } from './HealthThresholds';

const STATUS_LABELS: Record<HealthStatus, string> = { ok: 'OK', warn: 'Warning', fail: 'Failing' };

/** The Sentinel's checks, each with its status, what it found, and the details behind it. */
export function HealthPanel() {
  const [report, setReport] = useState<HealthReport | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => deliverUnlessCancelled(api.health.report({ refresh: false }), setReport, setError), []);

  const checkNow = () => {
    setChecking(true);
    setError(null);
    api.health
      .report({ refresh: true })
      .then(setReport, (cause: unknown) => setError(describeError(cause)))
      .finally(() => setChecking(false));
  };

  return (
    <Panel title="Health">
      <div className="stats-toolbar">
        <button type="button" className="button" onClick={checkNow} disabled={checking}>
          {checking ? 'Checking…' : 'Check now'}
        </button>
        {report ? (
          <span className="muted small">
            Checked <LocalTime iso={report.checkedAt} />
          </span>
        ) : null}
      </div>
      <ErrorMessage error={error} />
      {report ? (
        <ul className="health-checks">
          {report.checks.map((check) => (
            <li key={check.id} data-testid={`health-check-${check.id}`} data-status={check.status}>
              <span className={`health-status health-status-${check.status}`}>{STATUS_LABELS[check.status]}</span>
              <div>
                <strong>{check.title}</strong> <span>{check.summary}</span>
                <p className="muted small">{check.detail}</p>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <HealthThresholds />
    </Panel>
  );
}
