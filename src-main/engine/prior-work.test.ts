import { describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import { completedOutputs, descendantsOf, recordedDecisions, topLevelNodeId } from './prior-work';
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
});
