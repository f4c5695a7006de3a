import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DashboardStats } from '@shared/stats';
import { RUN_STATUSES_SHOWN, STATUS_COLORS } from './chart-colors';
import { bucketLabel, formatUsd } from './time-range';

const AXIS = { stroke: '#8b98a8', fontSize: 12 };
const GRID = '#243041';
const TOOLTIP_STYLE = { background: '#161d27', border: '1px solid #243041' };

/** One chart with its caption; the caption names what it shows for screen readers too. */
function ChartFigure({
  id,
  title,
  empty,
  children,
}: {
  id: string;
  title: string;
  empty: boolean;
  children: ReactNode;
}) {
  return (
    <figure className="chart" data-testid={`chart-${id}`} aria-label={title}>
      <figcaption>{title}</figcaption>
      {empty ? (
        <p className="muted small chart-empty">Nothing in this range.</p>
      ) : (
        <div className="chart-body">
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

export function SpendChart({ stats }: { stats: DashboardStats }) {
  const data = stats.spend.map((point) => ({ label: bucketLabel(point.bucket), costUsd: point.costUsd }));
  return (
    <ChartFigure id="spend" title={`Spend per ${stats.bucket}`} empty={stats.totals.costUsd === 0}>
      <BarChart data={data}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="label" {...AXIS} />
        <YAxis {...AXIS} tickFormatter={formatUsd} width={64} />
        <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(value) => formatUsd(Number(value))} />
        <Bar dataKey="costUsd" name="Spend" fill="#f0883e" isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}

export function WorkflowSpendChart({ stats }: { stats: DashboardStats }) {
  const data = stats.spendByWorkflow.slice(0, 10);
  return (
    <ChartFigure id="spend-by-workflow" title="Spend per workflow" empty={data.length === 0}>
      <BarChart data={data} layout="vertical" margin={{ left: 16 }}>
        <CartesianGrid stroke={GRID} horizontal={false} />
        <XAxis type="number" {...AXIS} tickFormatter={formatUsd} />
        <YAxis type="category" dataKey="workflowName" {...AXIS} width={120} />
        <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(value) => formatUsd(Number(value))} />
        <Bar dataKey="costUsd" name="Spend" fill="#58a6ff" isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}

/** Counts per time bucket (its label on the x axis), the series given as stacked bars. */
function CountsPerBucketChart({ data, children }: { data: object[]; children: ReactNode }) {
  return (
    <BarChart data={data}>
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="label" {...AXIS} />
      <YAxis {...AXIS} allowDecimals={false} width={40} />
      <Tooltip contentStyle={TOOLTIP_STYLE} />
      <Legend />
      {children}
    </BarChart>
  );
}

export function RunsByStatusChart({ stats }: { stats: DashboardStats }) {
  const data = stats.runsByStatus.map((point) => ({ label: bucketLabel(point.bucket), ...point.counts }));
  return (
    <ChartFigure id="runs-by-status" title="Runs by status" empty={stats.totals.runs === 0}>
      <CountsPerBucketChart data={data}>
        {RUN_STATUSES_SHOWN.map((status) => (
          <Bar key={status} dataKey={status} stackId="runs" fill={STATUS_COLORS[status]} isAnimationActive={false} />
        ))}
      </CountsPerBucketChart>
    </ChartFigure>
  );
}

export function TokensByModelChart({ stats }: { stats: DashboardStats }) {
  return (
    <ChartFigure id="tokens-by-model" title="Tokens by model" empty={stats.tokensByModel.length === 0}>
      <BarChart data={stats.tokensByModel}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="model" {...AXIS} />
        <YAxis {...AXIS} width={64} />
        <Tooltip contentStyle={TOOLTIP_STYLE} />
        <Legend />
        <Bar dataKey="inputTokens" name="input" stackId="tokens" fill="#58a6ff" isAnimationActive={false} />
        <Bar dataKey="outputTokens" name="output" stackId="tokens" fill="#f0883e" isAnimationActive={false} />
        <Bar dataKey="cacheReadTokens" name="cache read" stackId="tokens" fill="#3fb950" isAnimationActive={false} />
        <Bar dataKey="cacheWriteTokens" name="cache write" stackId="tokens" fill="#d29922" isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}

export function ModelErrorsChart({ stats }: { stats: DashboardStats }) {
  const data = stats.modelErrors.map((point) => ({ ...point, label: bucketLabel(point.bucket) }));
  const empty = stats.modelErrorTotals.calls + stats.modelErrorTotals.retries === 0;
  return (
    <ChartFigure id="model-errors" title="Model retries (429 / 529 / other)" empty={empty}>
      <CountsPerBucketChart data={data}>
        <Bar dataKey="rateLimited" name="429 rate limited" stackId="errors" fill="#d29922" isAnimationActive={false} />
        <Bar dataKey="overloaded" name="529 overloaded" stackId="errors" fill="#f85149" isAnimationActive={false} />
        <Bar dataKey="otherErrors" name="other" stackId="errors" fill="#8b98a8" isAnimationActive={false} />
      </CountsPerBucketChart>
    </ChartFigure>
  );
}
