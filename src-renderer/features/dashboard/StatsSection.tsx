import { useEffect, useState } from 'react';
import type { DashboardStats } from '@shared/stats';
import { deliverUnlessCancelled } from '../../api/errors';
import { api } from '../../stores/connection';
import { ErrorMessage, Panel } from '../../ui/components';
import { ModelErrorsChart, RunsByStatusChart, SpendChart, TokensByModelChart, WorkflowSpendChart } from './StatsCharts';
import { formatBytes, formatPercent, formatUsd, statsQueryFor, TIME_RANGES, type TimeRangeId } from './time-range';

/** Spend, runs, tokens, model errors, sandbox latency and memory over the chosen time range. */
export function StatsSection() {
  const [rangeId, setRangeId] = useState<TimeRangeId>('7d');
  const [stats, setStats] = useState<DashboardStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      deliverUnlessCancelled(
        api.stats.dashboard(statsQueryFor(rangeId, new Date())),
        (next) => {
          setStats(next);
          setError(null);
        },
        setError,
      ),
    [rangeId],
  );

  return (
    <Panel title="Activity">
      <div className="stats-toolbar">
        <label className="field-inline">
          Time range{' '}
          <select value={rangeId} onChange={(event) => setRangeId(event.target.value as TimeRangeId)}>
            {TIME_RANGES.map((range) => (
              <option key={range.id} value={range.id}>
                {range.label}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">Times in UTC.</span>
      </div>
      <ErrorMessage error={error} />
      {stats ? <StatsFigures stats={stats} /> : error ? null : <p className="muted">Loading…</p>}
    </Panel>
  );
}

function Figure({ id, label, value, note }: { id: string; label: string; value: string; note?: string }) {
  return (
    <div className="stat-figure">
      <span className="muted small">{label}</span>
      <span className="stat-value" data-testid={`stat-${id}`}>
        {value}
      </span>
      {note ? <span className="muted small">{note}</span> : null}
    </div>
  );
}

function StatsFigures({ stats }: { stats: DashboardStats }) {
  const errors = stats.modelErrorTotals;
  const latency = (ms: number | null) => (ms === null ? '—' : `${Math.round(ms)} ms`);
  return (
    <>
      <div className="stat-figures">
        <Figure id="total-spend" label="Spend" value={formatUsd(stats.totals.costUsd)} />
        <Figure id="runs" label="Runs started" value={String(stats.totals.runs)} />
        <Figure
          id="tokens"
          label="Tokens"
          value={(stats.totals.inputTokens + stats.totals.outputTokens).toLocaleString()}
          note={`${stats.totals.inputTokens.toLocaleString()} in · ${stats.totals.outputTokens.toLocaleString()} out`}
        />
        <Figure
          id="error-rate"
          label="Model error rate"
          value={formatPercent(errors.errorRate)}
          note={`${errors.retries} ${errors.retries === 1 ? 'retry' : 'retries'} of ${errors.calls + errors.retries} requests`}
        />
        <Figure
          id="sandbox-latency"
          label="Sandbox p50 / p95"
          value={`${latency(stats.sandbox.p50Ms)} / ${latency(stats.sandbox.p95Ms)}`}
          note={`${stats.sandbox.executions} executions`}
        />
        <Figure
          id="memory"
          label="Memory"
          value={`${stats.memory.items} items`}
          note={`${stats.memory.chunks} chunks · ${formatBytes(stats.memory.textBytes)}`}
        />
      </div>
      <div className="chart-grid">
        <SpendChart stats={stats} />
        <WorkflowSpendChart stats={stats} />
        <RunsByStatusChart stats={stats} />
        <TokensByModelChart stats={stats} />
        <ModelErrorsChart stats={stats} />
      </div>
    </>
  );
}
