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
