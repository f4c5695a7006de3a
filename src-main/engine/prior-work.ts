import type { RunEvent } from '@shared/run-events';
import type { ApprovalDecision } from '@shared/runs';
import type { Workflow } from '@shared/workflow';
import type { NodeOutputs } from './node-kind';

/**
 * What earlier passes left behind, read from their events: the outputs of completed node executions
 * (re-used instead of run again) and the approval decisions already made. Pure, so it is tested alone.
 */

/** Completed executions' outputs by scope, for the nodes `include` accepts. */
export function completedOutputs(
  events: readonly RunEvent[],
  include: (nodeId: string) => boolean,
  into = new Map<string, NodeOutputs>(),
): Map<string, NodeOutputs> {
  for (const event of events) {
    if (event.type === 'node.completed' && event.nodeId && include(event.nodeId)) {
      into.set(event.data.scope, event.data.outputs);
    }
  }
  return into;
}

/** Approval decisions by scope. */
export function recordedDecisions(
  events: readonly RunEvent[],
  into = new Map<string, ApprovalDecision>(),
): Map<string, ApprovalDecision> {
  for (const event of events) {
    if (event.type === 'approval.decided') {
      const { scope, ...decision } = event.data;
      into.set(scope, decision);
    }
  }
  return into;
}

/** The node and every node downstream of it: what a fork re-runs. */
export function descendantsOf(workflow: Workflow, nodeId: string): Set<string> {
  const found = new Set<string>([nodeId]);
  const stack = [nodeId];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const edge of workflow.edges) {
      if (edge.source.node === id && !found.has(edge.target.node)) {
        found.add(edge.target.node);
        stack.push(edge.target.node);
      }
    }
  }
  return found;
}

/** The top-level node a scoped node id belongs to ("map/item#2" and "agent#3" belong to "map" and "agent"). */
export function topLevelNodeId(nodeId: string): string {
  return nodeId.split('/')[0]?.split('#')[0] ?? nodeId;
}

/** What one node execution spent, as its llm.usage events (its own and its members') recorded it. */
export interface ExecutionSpend {
  usage: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };
  costUsd: number;
}

/**
 * The spend of each completed node execution, in the pass that completed it: a later pass re-uses the
 * execution instead of running it, so it counts this spend towards the run's usage and budget (the
 * usage of a node that starts again is counted anew as it re-reads its journaled calls).
 */
export function completedSpending(events: readonly RunEvent[]): Map<string, ExecutionSpend> {
  const open = new Map<string, ExecutionSpend>();
  const completed = new Map<string, ExecutionSpend>();
  for (const event of events) {
    if (event.type === 'node.started') {
      open.set(event.data.scope, {
        usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
        costUsd: 0,
      });
    } else if (event.type === 'llm.usage' && event.data.scope !== undefined) {
      // A member's or an item's scope extends its node's (`crew#1/1.2`): charge every enclosing execution.
      const parts = event.data.scope.split('/');
      for (let length = parts.length; length > 0; length--) {
        const spend = open.get(parts.slice(0, length).join('/'));
        if (!spend) continue;
        spend.usage.inputTokens += event.data.inputTokens;
        spend.usage.outputTokens += event.data.outputTokens;
        spend.usage.cacheReadTokens += event.data.cacheReadTokens;
        spend.usage.cacheWriteTokens += event.data.cacheWriteTokens;
        spend.costUsd += event.data.costUsd;
      }
    } else if (event.type === 'node.completed') {
      const spend = open.get(event.data.scope);
      if (spend) completed.set(event.data.scope, structuredClone(spend));
    }
  }
  return completed;
}
