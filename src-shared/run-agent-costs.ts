import type { CostPoint } from './run-costs';

/** The key of the series that sums every agent outside the top ones. */
export const OTHER_AGENTS_KEY = '\u0000others';

/** The spend so far at one moment, in total and per charted agent (each key of `agents`, cumulative). */
export interface AgentCostPoint {
  atMs: number;
  costUsd: number;
  byAgent: Readonly<Record<string, number>>;
}

export interface AgentCostSeries {
  /** The charted agents, most expensive first, then `OTHER_AGENTS_KEY` when some were summed. */
  agents: readonly string[];
  /** How many agents the "others" series sums (0: there is none). */
  otherCount: number;
  /** One point per model call, in the run's series order; every point has a value for every charted agent. */
  points: readonly AgentCostPoint[];
}

/**
 * Splits a run's cumulative spend into one cumulative series per agent: the `maxAgents` that spent most by
 * name, the rest summed as "others" (so the chart stays readable with a hundred agents). Each call's own
 * cost is added in order, so an agent's last value equals its total in `RunCosts.byAgent`.
 */
export function agentCostSeries(series: readonly CostPoint[], maxAgents: number): AgentCostSeries {
  const spent = new Map<string, number>();
  for (const point of series) spent.set(point.agent, (spent.get(point.agent) ?? 0) + point.callCostUsd);
  const ranked = [...spent.entries()].sort(([a, costA], [b, costB]) => costB - costA || a.localeCompare(b));
  const limit = Math.max(0, Math.floor(maxAgents));
  // No "others" series for a single agent: it would be that agent under another name.
  const charted = ranked.length <= limit + 1 ? ranked : ranked.slice(0, limit);
  const otherCount = ranked.length - charted.length;
  const keyOf = new Map(charted.map(([agent]) => [agent, agent] as const));
  const agents = [...charted.map(([agent]) => agent), ...(otherCount > 0 ? [OTHER_AGENTS_KEY] : [])];

  const running: Record<string, number> = Object.fromEntries(agents.map((agent) => [agent, 0]));
  const points = series.map((point) => {
    const key = keyOf.get(point.agent) ?? OTHER_AGENTS_KEY;
    running[key] = (running[key] ?? 0) + point.callCostUsd;
    return { atMs: point.atMs, costUsd: point.costUsd, byAgent: { ...running } };
  });
  return { agents, otherCount, points };
}
