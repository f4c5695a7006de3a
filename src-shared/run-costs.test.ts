import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetShare, CostFold, foldCosts, thinSeries, type CostPoint } from './run-costs';
import type { NewRunEvent, RunEvent } from './run-events';
import { RUN_LANE_ID } from './run-timeline';
import { spacedEvents } from './testing/run-events-fixture';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');

/** The events a second apart from T0. */
const stream = (...events: NewRunEvent[]) => spacedEvents(events, T0, 1000);

const call = (nodeId: string | null, model: string, input: number, output: number, cacheRead: number, usd: number) =>
  ({
    type: 'llm.usage',
    nodeId,
    data: {
      ...(nodeId ? { scope: `${nodeId}#1` } : { purpose: 'memory synthesis' }),
      inputTokens: input,
      outputTokens: output,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: 2,
      costUsd: usd,
      model,
    },
  }) satisfies NewRunEvent;

describe('foldCosts', () => {
  it('totals per agent and per model, with cache tokens, and the cumulative spend per call', () => {
    const costs = foldCosts(
      stream(
        call('crew/1', 'claude-opus-4-1', 100, 50, 10, 0.5),
        { type: 'tool.call', nodeId: 'crew/1', data: { scope: 'crew#1/1', name: 'delegate', input: {} } },
        call('crew/1.1', 'claude-sonnet-4-6', 200, 20, 0, 0.25),
        call('crew/1', 'claude-opus-4-1', 10, 5, 30, 0.125),
        call(null, 'claude-haiku-4-5', 1, 1, 0, 0.0625),
      ),
      { maxUsd: 2 },
    );
    expect(costs.total).toEqual({
      inputTokens: 311,
      outputTokens: 76,
      cacheReadTokens: 40,
      cacheWriteTokens: 8,
      costUsd: 0.9375,
      calls: 4,
    });
    expect(costs.byAgent['crew/1']).toEqual({
      inputTokens: 110,
      outputTokens: 55,
      cacheReadTokens: 40,
      cacheWriteTokens: 4,
      costUsd: 0.625,
      calls: 2,
    });
    expect(Object.keys(costs.byAgent)).toEqual(['crew/1', 'crew/1.1', RUN_LANE_ID]);
    expect(costs.byModel['claude-sonnet-4-6']?.costUsd).toBe(0.25);
    expect(costs.series.map((point) => [point.atMs - T0, point.costUsd, point.tokens])).toEqual([
      [0, 0.5, 162],
      [2000, 0.75, 384],
      [3000, 0.875, 431],
      [4000, 0.9375, 435],
    ]);
    expect(budgetShare(costs)).toEqual({ usd: 0.46875 });
  });

  it('marks the budget reached until the run is resumed', () => {
    const spent = { usd: 1, tokens: 1 };
    const fold = new CostFold({ maxTokens: 100 });
    const [exceeded, resumed] = stream(
      { type: 'budget.exceeded', nodeId: null, data: { scope: 'run', limit: { maxTokens: 100 }, spent } },
      { type: 'run.resumed', nodeId: null, data: { mode: 'normal', sourceRunId: null, inputs: {} } },
    );
    fold.apply(exceeded as RunEvent);
    expect(fold.snapshot().budgetReached).toBe(true);
    fold.apply(resumed as RunEvent);
    expect(fold.snapshot().budgetReached).toBe(false);
  });

  it('gives the same snapshot until a model call changes it, and keeps an untouched agent total', () => {
    const [first, second, other] = stream(call('a', 'm', 1, 1, 0, 1), call('b', 'm', 1, 1, 0, 1), {
      type: 'node.started',
      nodeId: 'a',
      data: { scope: 'a#1', inputs: {} },
    });
    const fold = new CostFold();
    fold.apply(first as RunEvent);
    const before = fold.snapshot();
    fold.apply(other as RunEvent);
    expect(fold.snapshot()).toBe(before);
    fold.apply(second as RunEvent);
    const after = fold.snapshot();
    expect(after).not.toBe(before);
    expect(after.byAgent.a).toBe(before.byAgent.a);
  });
});

describe('thinSeries', () => {
  it('keeps at most the asked number of points, the last one always, and never goes down', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(100), { minLength: 1, maxLength: 500 }),
        fc.integer({ min: 1, max: 50 }),
        (steps, max) => {
          let sum = 0;
          const series: CostPoint[] = steps.map((step, index) => ({
            atMs: index,
            costUsd: (sum += step),
            tokens: sum,
            agent: 'a',
            callCostUsd: step,
          }));
          const thinned = thinSeries(series, max);
          expect(thinned.length).toBeLessThanOrEqual(max);
          expect(thinned.at(-1)).toEqual(series.at(-1));
          const costs = thinned.map((point) => point.costUsd);
          expect(costs).toEqual([...costs].sort((a, b) => a - b));
        },
      ),
    );
  });
});
