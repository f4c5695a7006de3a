import { useEffect, useState } from 'react';
import type { AppInfo, Health } from '@shared/contract';
import { describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { CodeDetail, ErrorMessage, PageHeader, Panel } from '../../ui/components';
import { HealthPanel } from './HealthPanel';
import { StatsSection } from './StatsSection';

/** The state of this installation: activity over time, the Sentinel's health checks, versions and profile. */
export function DashboardPage() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [health, setHealth] = useState<Health | null>(null);
  const [workflowCount, setWorkflowCount] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([api.app.info(), api.app.health(), api.workflows.list()]).then(
      ([nextInfo, nextHealth, workflows]) => {
        setInfo(nextInfo);
        setHealth(nextHealth);
        setWorkflowCount(workflows.length);
      },
      (cause: unknown) => setError(describeError(cause)),
    );
  }, []);

  return (
    <>
      <PageHeader title="Dashboard" subtitle="This installation at a glance." />
      <ErrorMessage error={error} />
      <div className="cards">
        <Panel title="Workflows">
          <p className="metric" data-testid="metric-workflows">
            {workflowCount ?? '…'}
          </p>
        </Panel>
        <Panel title="Database">
          <p className="metric">{health ? (health.database.ok ? 'Healthy' : 'Unavailable') : '…'}</p>
          {health ? <p className="muted small">Schema version {health.database.schemaVersion}</p> : null}
        </Panel>
        <Panel title="Version">
          <p className="metric">{info?.version ?? '…'}</p>
          {info ? <p className="muted small">{info.host === 'electron' ? 'Desktop app' : 'Browser mode'}</p> : null}
        </Panel>
      </div>
      <StatsSection />
      <HealthPanel />
      {info ? (
        <Panel title="Details">
          <dl className="details">
            <CodeDetail term="Profile">{info.profileDir}</CodeDetail>
            <CodeDetail term="Database">{health?.database.path}</CodeDetail>
            <dt>Platform</dt>
            <dd>{info.platform}</dd>
            {Object.entries(info.versions).map(([name, version]) => (
              <div key={name} className="details-row">
                <dt>{name}</dt>
                <dd>{version}</dd>
              </div>
            ))}
          </dl>
        </Panel>
      ) : null}
    </>
  );
}
