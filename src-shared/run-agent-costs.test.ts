import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentCostSeries, OTHER_AGENTS_KEY } from './run-agent-costs';
import { foldCosts } from './run-costs';
import type { NewRunEvent } from './run-events';
import { modelCallUsage, spacedEvents } from './testing/run-events-fixture';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');

/** The costs folded from one model call per `[agent, costUsd]`, a second apart from T0. */
function costsOfCalls(calls: ReadonlyArray<readonly [string, number]>) {
  const events = calls.map(
    ([nodeId, costUsd]) =>
      ({
        type: 'llm.usage',
        nodeId,
        data: { scope: `${nodeId}#1`, ...modelCallUsage(costUsd, 'claude-sonnet-4-6') },
      }) satisfies NewRunEvent,
  );
  return foldCosts(spacedEvents(events, T0, 1000));
}

describe('agentCostSeries', () => {
  it('gives each agent its own cumulative spend, the cheapest summed as others', () => {
    const costs = costsOfCalls([
      ['lead', 0.5],
      ['a', 0.25],
      ['b', 0.125],
      ['lead', 0.5],
      ['c', 0.0625],
    ]);
    const split = agentCostSeries(costs.series, 2);
    expect(split.agents).toEqual(['lead', 'a', OTHER_AGENTS_KEY]);
    expect(split.otherCount).toBe(2);
    expect(split.points.map((point) => [point.atMs - T0, point.byAgent])).toEqual([
      [0, { lead: 0.5, a: 0, [OTHER_AGENTS_KEY]: 0 }],
      [1000, { lead: 0.5, a: 0.25, [OTHER_AGENTS_KEY]: 0 }],
      [2000, { lead: 0.5, a: 0.25, [OTHER_AGENTS_KEY]: 0.125 }],
      [3000, { lead: 1, a: 0.25, [OTHER_AGENTS_KEY]: 0.125 }],
      [4000, { lead: 1, a: 0.25, [OTHER_AGENTS_KEY]: 0.1875 }],
    ]);
    expect(split.points.at(-1)?.costUsd).toBe(1.4375);
  });

  it('charts a lone extra agent by its name rather than as "1 others"', () => {
    const costs = costsOfCalls([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(agentCostSeries(costs.series, 2).agents).toEqual(['c', 'b', 'a']);
    expect(agentCostSeries(costs.series, 2).otherCount).toBe(0);
    expect(agentCostSeries([], 3)).toEqual({ agents: [], otherCount: 0, points: [] });
  });

  it("ends every charted agent at its byAgent total, and the series' sum at the run's", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), fc.integer({ min: 0, max: 1000 })), {
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 6 }),
        (calls, maxAgents) => {
          const costs = costsOfCalls(calls.map(([agent, cents]) => [agent, cents / 100] as const));
          const split = agentCostSeries(costs.series, maxAgents);
          const last = split.points.at(-1);
          const named = split.agents.filter((agent) => agent !== OTHER_AGENTS_KEY);
          expect(named.length).toBe(split.otherCount > 0 ? maxAgents : Object.keys(costs.byAgent).length);
          expect(named.length + split.otherCount).toBe(Object.keys(costs.byAgent).length);
          for (const agent of named) expect(last?.byAgent[agent]).toBe(costs.byAgent[agent]?.costUsd);
          const summed = Object.values(last?.byAgent ?? {}).reduce((sum, value) => sum + value, 0);
          expect(summed).toBeCloseTo(costs.total.costUsd, 9);
          // Cumulative: no agent's series ever goes down.
          split.points.forEach((point, index) => {
            const before = split.points[index - 1];
            for (const agent of split.agents) {
              expect(point.byAgent[agent] ?? -1).toBeGreaterThanOrEqual(before?.byAgent[agent] ?? 0);
            }
          });
        },
      ),
    );
  });
});
