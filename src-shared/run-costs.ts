import { eventTimeMs } from './event-time';
import type { Budget } from './node-kinds';
import type { RunEvent, RunEventOf } from './run-events';
import { RUN_LANE_ID } from './run-timeline';

/**
 * What a run spent, folded from its `llm.usage` events: totals per agent (the timeline's lanes) and per
 * model, with cache reads and writes, and the cumulative spend over time against the run's budget. The
 * run view's charts, the HTML report and the CLI read the same figures.
 */

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** How many model calls. */
  calls: number;
}

/** The spend so far at one moment (after one model call). */
export interface CostPoint {
  atMs: number;
  costUsd: number;
  tokens: number;
  /** Whose call it was (as in `byAgent`) and what that one call cost: the per-agent series derive from these. */
  agent: string;
  callCostUsd: number;
}

export interface RunCosts {
  total: UsageTotals;
  /** By the node id the calls were made under (a member's own); calls of no node under `RUN_LANE_ID`. */
  byAgent: Readonly<Record<string, UsageTotals>>;
  byModel: Readonly<Record<string, UsageTotals>>;
  /** Cumulative, one point per model call, in event order. */
  series: readonly CostPoint[];
  budget: Budget;
  /** Set once a budget was reached (the run paused on it). */
  budgetReached: boolean;
}

/** The tokens a call counts against a budget: everything the model read or wrote, cached or not. */
export function budgetTokens(usage: Omit<UsageTotals, 'costUsd' | 'calls'>): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}

export function emptyUsageTotals(): UsageTotals {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, calls: 0 };
}

function added(totals: UsageTotals | undefined, usage: RunEventOf<'llm.usage'>['data']): UsageTotals {
  const base = totals ?? emptyUsageTotals();
  return {
    inputTokens: base.inputTokens + usage.inputTokens,
    outputTokens: base.outputTokens + usage.outputTokens,
    cacheReadTokens: base.cacheReadTokens + usage.cacheReadTokens,
    cacheWriteTokens: base.cacheWriteTokens + usage.cacheWriteTokens,
    costUsd: base.costUsd + usage.costUsd,
    calls: base.calls + 1,
  };
}

/**
 * Incremental: `apply` events as they come, `snapshot` when drawing. A snapshot with nothing new is the
 * previous object, and a total that did not change keeps its identity, so narrow selectors stay put.
 */
export class CostFold {
  private total = emptyUsageTotals();
  // Totals are kept in maps and copied into the snapshot's records once per snapshot, only when one of
  // them changed: copying a record of a hundred agents at every model call made opening a long run quadratic.
  private readonly byAgent = new Map<string, UsageTotals>();
  private readonly byModel = new Map<string, UsageTotals>();
  private readonly changedAgents = new Set<string>();
  private readonly changedModels = new Set<string>();
  private readonly series: CostPoint[] = [];
  private budgetReached = false;
  private changed = true;
  private last: RunCosts | null = null;

  constructor(private readonly budget: Budget = {}) {}

  apply(event: RunEvent): void {
    if (event.type === 'budget.exceeded') {
      this.budgetReached = true;
      this.changed = true;
      return;
    }
    if (event.type === 'run.resumed' && this.budgetReached) {
      this.budgetReached = false;
      this.changed = true;
      return;
    }
    if (event.type !== 'llm.usage') return;
    const usage = event.data;
    const agent = event.nodeId ?? RUN_LANE_ID;
    this.total = added(this.total, usage);
    this.byAgent.set(agent, added(this.byAgent.get(agent), usage));
    this.changedAgents.add(agent);
    this.byModel.set(usage.model, added(this.byModel.get(usage.model), usage));
    this.changedModels.add(usage.model);
    this.series.push({
      atMs: eventTimeMs(event.at),
      costUsd: this.total.costUsd,
      tokens: budgetTokens(this.total),
      agent,
      callCostUsd: usage.costUsd,
    });
    this.changed = true;
  }

  snapshot(): RunCosts {
    if (this.last && !this.changed) return this.last;
    this.changed = false;
    this.last = {
      total: this.total,
      byAgent: withChanged(this.last?.byAgent ?? {}, this.byAgent, this.changedAgents),
      byModel: withChanged(this.last?.byModel ?? {}, this.byModel, this.changedModels),
      series: [...this.series],
      budget: this.budget,
      budgetReached: this.budgetReached,
    };
    return this.last;
  }
}

/** `previous` with the changed keys' current values (`previous` itself when none changed); empties `changed`. */
function withChanged(
  previous: Readonly<Record<string, UsageTotals>>,
  current: ReadonlyMap<string, UsageTotals>,
  changed: Set<string>,
): Readonly<Record<string, UsageTotals>> {
  if (changed.size === 0) return previous;
  const next = { ...previous };
  for (const key of changed) {
    const totals = current.get(key);
    if (totals) next[key] = totals;
  }
  changed.clear();
  return next;
}

export function foldCosts(events: readonly RunEvent[], budget: Budget = {}): RunCosts {
  const fold = new CostFold(budget);
  for (const event of events) fold.apply(event);
  return fold.snapshot();
}

/**
 * At most `maxPoints` points of a cumulative series for a chart: the last point of each equal slice of
 * it (a cumulative series' last point in a slice is its highest), always keeping the final one.
 */
export function thinSeries<Point>(series: readonly Point[], maxPoints: number): Point[] {
  if (series.length <= maxPoints) return [...series];
  const step = series.length / maxPoints;
  const thinned: Point[] = [];
  for (let slice = 1; slice <= maxPoints; slice++) {
    const point = series[Math.min(series.length, Math.round(slice * step)) - 1];
    if (point) thinned.push(point);
  }
  return thinned;
}

/** How much of the budget is spent, 0…1 per limit (absent: no such limit); the gauge shows the larger. */
export function budgetShare(costs: RunCosts): { usd?: number; tokens?: number } {
  const { maxUsd, maxTokens } = costs.budget;
  return {
    ...(maxUsd !== undefined && maxUsd > 0 ? { usd: costs.total.costUsd / maxUsd } : {}),
    ...(maxTokens !== undefined && maxTokens > 0 ? { tokens: budgetTokens(costs.total) / maxTokens } : {}),
  };
}
