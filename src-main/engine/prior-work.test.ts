import { describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import { completedOutputs, completedSpending, descendantsOf, recordedDecisions, topLevelNodeId } from './prior-work';
import { chainWorkflow } from './testing/workflow-builder';

const at = '2026-12-01T00:00:00.000Z';

describe('prior work', () => {
  const events: RunEvent[] = [
    { runId: 'r', seq: 1, at, nodeId: 'a', type: 'node.completed', data: { scope: 'a#1', outputs: { out: 1 } } },
    { runId: 'r', seq: 2, at, nodeId: 'b', type: 'node.failed', data: { scope: 'b#1', error: 'x', policy: 'fail' } },
    {
      runId: 'r',
      seq: 3,
      at,
      nodeId: 'g',
      type: 'approval.decided',
      data: { scope: 'g#1', decision: 'reject', reason: 'no' },
    },
    {
      runId: 'r',
      seq: 4,
      at,
      nodeId: 'm/item#2',
      type: 'node.completed',
      data: { scope: 'm#1/2', outputs: { out: 2 } },
    },
    { runId: 'r', seq: 5, at, nodeId: null, type: 'unknown', rawType: 'future.thing', data: {}, problem: 'unknown' },
  ];

  it('collects completed outputs by scope for the nodes asked for', () => {
    expect([...completedOutputs(events, () => true)]).toEqual([
      ['a#1', { out: 1 }],
      ['m#1/2', { out: 2 }],
    ]);
    expect([...completedOutputs(events, (nodeId) => topLevelNodeId(nodeId) !== 'm').keys()]).toEqual(['a#1']);
  });

  it('collects approval decisions by scope', () => {
    expect([...recordedDecisions(events)]).toEqual([['g#1', { decision: 'reject', reason: 'no' }]]);
  });

  it('finds what a fork re-runs: the node and everything downstream', () => {
    const workflow = chainWorkflow([
      ['a', 'transform', { template: '{{in}}' }],
      ['b', 'transform', { template: '{{in}}' }],
    ]);
    expect([...descendantsOf(workflow, 'a')].sort()).toEqual(['a', 'b', 'result']);
    expect(topLevelNodeId('map/item#3')).toBe('map');
  });

  it("counts an execution's spend, its members' included, in the pass that completed it", () => {
    let seq = 0;
    const event = (type: string, nodeId: string | null, data: Record<string, unknown>) =>
      ({ runId: 'r', seq: ++seq, at, nodeId, type, data }) as RunEvent;
    const usage = (scope: string, tokens: number) =>
      event('llm.usage', null, {
        scope,
        inputTokens: tokens,
        outputTokens: 1,
        cacheReadTokens: 2,
        cacheWriteTokens: 0,
        costUsd: 0.5,
        model: 'm',
      });
    const spend = completedSpending([
      // Pass 1: the team starts, its coordinator and a member spend, then the host dies.
      event('node.started', 'crew', { scope: 'crew#1', inputs: {} }),
      usage('crew#1/1', 10),
      usage('crew#1/1.1', 5),
      event('node.started', 'other', { scope: 'other#1', inputs: {} }),
      usage('other#1', 7),
      event('node.completed', 'other', { scope: 'other#1', outputs: {} }),
      // Pass 2: the team starts over and re-reads its journaled calls; only this pass counts for it.
      event('node.started', 'crew', { scope: 'crew#1', inputs: {} }),
      usage('crew#1/1', 10),
      usage('crew#1/1.1', 5),
      usage('crew#1/1.2', 3),
      event('node.completed', 'crew', { scope: 'crew#1', outputs: {} }),
      event('node.started', 'late', { scope: 'late#1', inputs: {} }),
      usage('late#1', 4),
    ]);

    expect(spend.get('crew#1')).toEqual({
      usage: { inputTokens: 18, outputTokens: 3, cacheReadTokens: 6, cacheWriteTokens: 0 },
      costUsd: 1.5,
    });
    expect(spend.get('other#1')?.usage.inputTokens).toBe(7);
    // Started but never completed: a later pass runs it again, so nothing is carried over.
    expect(spend.has('late#1')).toBe(false);
  });
});
