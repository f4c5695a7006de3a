import { RUN_LANE_ID } from '@shared/run-timeline';
import { thinSeries, type RunCosts, type UsageTotals } from '@shared/run-costs';
import { formatCount, formatDuration, formatUsd } from './format';
import { html, type SafeHtml } from './html';

const BAR_WIDTH = 120;
const CHART = { width: 600, height: 140, pad: 30 };

function totalsRow(name: string, totals: UsageTotals, largest: number): SafeHtml {
  const share = largest > 0 ? (totals.costUsd / largest) * BAR_WIDTH : 0;
  return html`<tr>
    <th scope="row">${name}</th>
    <td class="num">${formatCount(totals.calls)}</td>
    <td class="num">${formatCount(totals.inputTokens)}</td>
    <td class="num">${formatCount(totals.outputTokens)}</td>
    <td class="num">${formatCount(totals.cacheReadTokens)}</td>
    <td class="num">${formatCount(totals.cacheWriteTokens)}</td>
    <td class="num">${formatUsd(totals.costUsd)}</td>
    <td>
      <svg class="bar" width="${BAR_WIDTH}" height="10" aria-hidden="true">
        <rect x="0" y="0" width="${share.toFixed(1)}" height="10" rx="2"></rect>
      </svg>
    </td>
  </tr>`;
}

function totalsTable(caption: string, rows: Array<[string, UsageTotals]>): SafeHtml {
  const sorted = [...rows].sort((a, b) => b[1].costUsd - a[1].costUsd);
  const largest = sorted[0]?.[1].costUsd ?? 0;
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col"></th>
        <th scope="col">Calls</th>
        <th scope="col">Input</th>
        <th scope="col">Output</th>
        <th scope="col">Cache read</th>
        <th scope="col">Cache write</th>
        <th scope="col">Cost</th>
        <th scope="col"></th>
      </tr>
    </thead>
    <tbody>
      ${sorted.map(([name, totals]) => totalsRow(name, totals, largest))}
    </tbody>
  </table>`;
}

/** The spend so far after each model call, as a line from the run's start. */
function cumulativeChart(costs: RunCosts, runStartMs: number | null): SafeHtml {
  const points = thinSeries(costs.series, 200);
  const last = points.at(-1);
  if (!last || runStartMs === null) return html``;
  const spanMs = Math.max(1, last.atMs - runStartMs);
  // The budget line is drawn when it is near the spend; a budget far above it would flatten the line.
  const nearBudget =
    costs.budget.maxUsd !== undefined && costs.budget.maxUsd <= last.costUsd * 2 ? costs.budget.maxUsd : undefined;
  const top = Math.max(last.costUsd, nearBudget ?? 0, Number.EPSILON);
  const x = (atMs: number) => CHART.pad + ((atMs - runStartMs) / spanMs) * (CHART.width - 2 * CHART.pad);
  const y = (usd: number) => CHART.height - CHART.pad - (usd / top) * (CHART.height - 2 * CHART.pad);
  const line = [`${x(runStartMs).toFixed(1)},${y(0).toFixed(1)}`]
    .concat(points.map((point) => `${x(point.atMs).toFixed(1)},${y(point.costUsd).toFixed(1)}`))
    .join(' ');
  return html`<svg
    class="cost-chart"
    role="img"
    aria-label="Cumulative cost"
    viewBox="0 0 ${CHART.width} ${CHART.height}"
    width="${CHART.width}"
    height="${CHART.height}"
  >
    <line class="tick" x1="${CHART.pad}" x2="${CHART.width - CHART.pad}" y1="${y(0)}" y2="${y(0)}"></line>
    ${nearBudget !== undefined && html`<line class="budget-line" x1="${CHART.pad}" x2="${CHART.width - CHART.pad}" y1="${y(nearBudget)}" y2="${y(nearBudget)}"><title>Budget ${formatUsd(nearBudget)}</title></line>`}
    <polyline class="cost-line" points="${line}"></polyline>
    <text class="axis" x="${CHART.pad}" y="${CHART.height - 8}">0</text>
    <text class="axis" x="${CHART.width - CHART.pad}" y="${CHART.height - 8}" text-anchor="end">
      ${formatDuration(spanMs)}
    </text>
    <text class="axis" x="${CHART.pad}" y="${CHART.pad - 10}">${formatUsd(top)}</text>
  </svg>`;
}

export function costsSection(costs: RunCosts, runStartMs: number | null, agentLabel: (id: string) => string): SafeHtml {
  if (costs.total.calls === 0) return html`<p class="muted">No model calls were made.</p>`;
  const agents = Object.entries(costs.byAgent).map(([id, totals]): [string, UsageTotals] => [
    id === RUN_LANE_ID ? 'Run (outside any node)' : agentLabel(id),
    totals,
  ]);
  return html`<p>
      ${formatUsd(costs.total.costUsd)} over ${formatCount(costs.total.calls)} model
      call${costs.total.calls === 1 ? '' : 's'}${costs.budgetReached && ' — the budget was reached'}.
    </p>
    ${cumulativeChart(costs, runStartMs)} ${totalsTable('By agent', agents)}
    ${totalsTable('By model', Object.entries(costs.byModel))}`;
}
