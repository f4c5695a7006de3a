import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  PolarAngleAxis,
  RadialBar,
  RadialBarChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { agentCostSeries, OTHER_AGENTS_KEY } from '@shared/run-agent-costs';
import { budgetShare, budgetTokens, thinSeries, type UsageTotals } from '@shared/run-costs';
import { useWarRoomThrottled } from './war-room-store';

/** A chart of thousands of calls draws at most this many points: the shape is the same, the drawing is not. */
const MAX_POINTS = 240;
/** Recharts redraws a whole chart for any change: a live run's charts are redrawn at most this often. */
const CHART_REDRAW_MS = 500;
/** The agents that spent most, by name; the rest are summed as "others". */
const TOP_AGENTS = 12;
/** The spend-over-time chart draws fewer agents' lines than the bars: beyond a handful they are a tangle. */
const TOP_AGENT_LINES = 5;
const AGENT_LINE_COLORS = ['#58a6ff', '#3fb950', '#d2a8ff', '#d29922', '#79c0ff', '#8b98a8'];

const COLORS = {
  input: '#58a6ff',
  output: '#f0883e',
  cacheRead: '#3fb950',
  cacheWrite: '#d29922',
  cost: '#f0883e',
  budget: '#f85149',
};

const usd = (value: number) => `$${value.toFixed(4)}`;

function tokenBars(name: string, totals: UsageTotals) {
  return {
    name,
    input: totals.inputTokens,
    output: totals.outputTokens,
    cacheRead: totals.cacheReadTokens,
    cacheWrite: totals.cacheWriteTokens,
    costUsd: totals.costUsd,
  };
}

/** Cost and tokens: totals, the spend over time against the budget, a gauge, per agent and per model. */
export function CostCharts() {
  // Charts follow a live run a few times a second (the timeline and totals bar follow every frame).
  const costs = useWarRoomThrottled((state) => state.costs, CHART_REDRAW_MS);
  const labels = useWarRoomThrottled((state) => state.timeline.lanes, CHART_REDRAW_MS);
  // Every point carries each charted agent's cumulative spend, so the thinned lines keep their last values.
  const { series, agentLines } = useMemo(() => {
    const start = costs.series[0]?.atMs ?? 0;
    const split = agentCostSeries(costs.series, TOP_AGENT_LINES);
    return {
      series: thinSeries(split.points, MAX_POINTS).map((point) => ({
        seconds: (point.atMs - start) / 1000,
        costUsd: point.costUsd,
        byAgent: point.byAgent,
      })),
      agentLines: split.agents.map((agent) => ({
        agent,
        final: split.points.at(-1)?.byAgent[agent] ?? 0,
        label: agent === OTHER_AGENTS_KEY ? `${split.otherCount} others` : (labels[agent]?.label ?? agent),
      })),
    };
  }, [costs.series, labels]);
  const byAgent = useMemo(() => {
    const ranked = Object.entries(costs.byAgent).sort(([, a], [, b]) => b.costUsd - a.costUsd);
    const top = ranked.slice(0, TOP_AGENTS).map(([id, totals]) => tokenBars(labels[id]?.label ?? id, totals));
    if (ranked.length > TOP_AGENTS) {
      const rest = ranked.slice(TOP_AGENTS).reduce(
        (sum, [, totals]) => ({
          inputTokens: sum.inputTokens + totals.inputTokens,
          outputTokens: sum.outputTokens + totals.outputTokens,
          cacheReadTokens: sum.cacheReadTokens + totals.cacheReadTokens,
          cacheWriteTokens: sum.cacheWriteTokens + totals.cacheWriteTokens,
          costUsd: sum.costUsd + totals.costUsd,
          calls: sum.calls + totals.calls,
        }),
        { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, calls: 0 },
      );
      top.push(tokenBars(`${ranked.length - TOP_AGENTS} others`, rest));
    }
    return top;
  }, [costs.byAgent, labels]);
  const byModel = useMemo(
    () => Object.entries(costs.byModel).map(([model, totals]) => tokenBars(model, totals)),
    [costs.byModel],
  );
  const share = budgetShare(costs);
  const { total, budget } = costs;

  return (
    <section className="war-costs" aria-label="Cost and tokens">
      <dl className="war-cost-totals">
        <Total term="Cost" testId="cost-total" value={usd(total.costUsd)} />
        <Total term="Tokens" testId="tokens-total" value={String(budgetTokens(total))} />
        <Total term="Input" testId="input-total" value={String(total.inputTokens)} />
        <Total term="Output" testId="output-total" value={String(total.outputTokens)} />
        <Total term="Cache read" testId="cache-read-total" value={String(total.cacheReadTokens)} />
        <Total term="Cache write" testId="cache-write-total" value={String(total.cacheWriteTokens)} />
        <Total term="Model calls" testId="calls-total" value={String(total.calls)} />
      </dl>
      <div className="war-cost-grid">
        <figure className="war-chart" aria-label="Spend over time">
          <figcaption className="small muted">
            Cumulative cost (USD) over seconds since the first call, in total and per agent
          </figcaption>
          <ResponsiveContainer width="100%" height={200}>
            <LineChart data={series} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#243041" />
              <XAxis dataKey="seconds" type="number" domain={[0, 'dataMax']} stroke="#8b98a8" fontSize={11} />
              <YAxis
                stroke="#8b98a8"
                fontSize={11}
                domain={[0, (max: number) => Math.max(max, budget.maxUsd ?? 0)]}
                tickFormatter={(value: number) => value.toFixed(3)}
              />
              <Tooltip formatter={(value) => usd(Number(value))} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              <Line
                type="stepAfter"
                dataKey="costUsd"
                name="total"
                stroke={COLORS.cost}
                dot={false}
                isAnimationActive={false}
              />
              {agentLines.map(({ agent, label }, index) => (
                // A function, not a string key: node ids hold dots and slashes, which recharts reads as a path.
                <Line
                  key={agent}
                  type="stepAfter"
                  dataKey={(row: (typeof series)[number]) => row.byAgent[agent] ?? 0}
                  name={label}
                  stroke={AGENT_LINE_COLORS[index % AGENT_LINE_COLORS.length]}
                  strokeWidth={1}
                  dot={false}
                  isAnimationActive={false}
                />
              ))}
              {budget.maxUsd !== undefined ? (
                <ReferenceLine y={budget.maxUsd} stroke={COLORS.budget} strokeDasharray="4 4" label="budget" />
              ) : null}
            </LineChart>
          </ResponsiveContainer>
          <ul className="war-agent-cost-finals small" data-testid="agent-cost-finals">
            {agentLines.map(({ agent, label, final }) => (
              <li key={agent} data-agent={agent === OTHER_AGENTS_KEY ? '' : agent}>
                <span>{label}</span>{' '}
                <span data-testid="agent-cost-final" data-usd={final}>
                  {usd(final)}
                </span>
              </li>
            ))}
          </ul>
        </figure>
        <BudgetGauge share={share} />
        <figure className="war-chart" aria-label="Tokens per agent">
          <figcaption className="small muted">Tokens per agent (most expensive first)</figcaption>
          <ResponsiveContainer width="100%" height={Math.max(160, byAgent.length * 22 + 40)}>
            <BarChart data={byAgent} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
              <XAxis type="number" stroke="#8b98a8" fontSize={11} />
              <YAxis type="category" dataKey="name" width={130} stroke="#8b98a8" fontSize={11} />
              <Tooltip />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              {tokenBarElements()}
            </BarChart>
          </ResponsiveContainer>
        </figure>
        <figure className="war-chart" aria-label="Cost per model">
          <figcaption className="small muted">Per model</figcaption>
          <table className="table war-model-table" data-testid="cost-per-model">
            <thead>
              <tr>
                <th>Model</th>
                <th>Calls</th>
                <th>Input</th>
                <th>Output</th>
                <th>Cache read</th>
                <th>Cache write</th>
                <th>Cost</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(costs.byModel).map(([model, totals]) => (
                <tr key={model}>
                  <td>{model}</td>
                  <td>{totals.calls}</td>
                  <td>{totals.inputTokens}</td>
                  <td>{totals.outputTokens}</td>
                  <td>{totals.cacheReadTokens}</td>
                  <td>{totals.cacheWriteTokens}</td>
                  <td>{usd(totals.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {byModel.length > 0 ? (
            <ResponsiveContainer width="100%" height={Math.max(120, byModel.length * 26 + 40)}>
              <BarChart data={byModel} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
                <XAxis type="number" stroke="#8b98a8" fontSize={11} />
                <YAxis type="category" dataKey="name" width={130} stroke="#8b98a8" fontSize={11} />
                <Tooltip />
                {tokenBarElements()}
              </BarChart>
            </ResponsiveContainer>
          ) : null}
        </figure>
      </div>
    </section>
  );
}

/** The stacked token bars, as direct children of a chart (where recharts looks for them). */
function tokenBarElements() {
  return (
    [
      ['input', 'input', COLORS.input],
      ['output', 'output', COLORS.output],
      ['cacheRead', 'cache read', COLORS.cacheRead],
      ['cacheWrite', 'cache write', COLORS.cacheWrite],
    ] as const
  ).map(([key, name, fill]) => (
    <Bar key={key} dataKey={key} name={name} stackId="tokens" fill={fill} isAnimationActive={false} />
  ));
}

function Total({ term, value, testId }: { term: string; value: string; testId: string }) {
  return (
    <div>
      <dt className="small muted">{term}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** The share of the budget spent (the nearer of its limits); no gauge without a budget. */
function BudgetGauge({ share }: { share: { usd?: number; tokens?: number } }) {
  const shares = [share.usd, share.tokens].filter((value) => value !== undefined);
  if (shares.length === 0) {
    return (
      <figure className="war-chart war-gauge" aria-label="Budget">
        <figcaption className="small muted">Budget</figcaption>
        <p className="muted small">This run has no budget.</p>
      </figure>
    );
  }
  const used = Math.max(...shares);
  const percent = Math.round(used * 100);
  return (
    <figure className="war-chart war-gauge" aria-label="Budget">
      <figcaption className="small muted">Budget spent</figcaption>
      <ResponsiveContainer width="100%" height={160}>
        <RadialBarChart
          data={[{ name: 'spent', value: Math.min(100, used * 100) }]}
          startAngle={210}
          endAngle={-30}
          innerRadius="70%"
          outerRadius="100%"
        >
          <PolarAngleAxis type="number" domain={[0, 100]} tick={false} />
          <RadialBar
            dataKey="value"
            fill={used >= 1 ? COLORS.budget : used >= 0.8 ? COLORS.cacheWrite : COLORS.cacheRead}
            background
            isAnimationActive={false}
          />
        </RadialBarChart>
      </ResponsiveContainer>
      <p className="war-gauge-value" data-testid="budget-gauge">
        {percent}%
      </p>
    </figure>
  );
}
