import type { ELK, ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import { ERROR_PORT, findNodeKind } from '@shared/node-kinds';
import { isLoopFeedbackEdge, type Workflow, type WorkflowNode } from '@shared/workflow';
import type { Position } from '../document/editor-store';
import type { NodeSize } from './node-size';

/**
 * Auto-layout by ELK's layered algorithm (layers left to right, crossings reduced, ports kept in the
 * order the node draws them). This module is the pure part: the ELK graph built from a workflow, and
 * ELK's answer read back as node positions; where ELK runs (a worker, or Node in tests) is the caller's.
 */

const LAYOUT_OPTIONS = {
  'org.eclipse.elk.algorithm': 'layered',
  'org.eclipse.elk.direction': 'RIGHT',
  'org.eclipse.elk.padding': '[top=0,left=0,bottom=0,right=0]',
  'org.eclipse.elk.spacing.nodeNode': '40',
  'org.eclipse.elk.layered.spacing.nodeNodeBetweenLayers': '120',
  'org.eclipse.elk.spacing.componentComponent': '60',
};

/** Port ids are unique across the graph; `/` cannot appear in a node id or a port name. */
const portId = (node: string, side: 'in' | 'out', port: string) => `${node}/${side}/${port}`;

/**
 * The node's ports in the order it draws them, plus any an edge names that its kind does not declare
 * (an invalid workflow still lays out). ELK numbers ports clockwise from the top-left corner: outputs
 * on the east side top to bottom, then inputs on the west side bottom to top.
 */
function portsOf(node: WorkflowNode, usedInputs: ReadonlySet<string>, usedOutputs: ReadonlySet<string>): ElkPort[] {
  const descriptor = findNodeKind(node.kind);
  const declaredOutputs = [...(descriptor?.outputs ?? []), ...(node.config.onError === 'route' ? [ERROR_PORT] : [])];
  const outputs = withExtras(
    declaredOutputs.map((port) => port.name),
    usedOutputs,
  );
  const inputs = withExtras(descriptor?.inputs.map((port) => port.name) ?? [], usedInputs);
  const port = (side: 'in' | 'out', name: string, index: number): ElkPort => ({
    id: portId(node.id, side, name),
    width: 0,
    height: 0,
    layoutOptions: {
      'org.eclipse.elk.port.side': side === 'out' ? 'EAST' : 'WEST',
      'org.eclipse.elk.port.index': String(index),
    },
  });
  return [
    ...outputs.map((name, index) => port('out', name, index)),
    ...inputs.map((name, index) => port('in', name, outputs.length + inputs.length - 1 - index)),
  ];
}

function withExtras(declared: string[], used: ReadonlySet<string>): string[] {
  return [...declared, ...[...used].filter((name) => !declared.includes(name))];
}

/**
 * The workflow as an ELK graph. Edges into a loop's `next` port are left out: they close the loop's
 * cycle, and laid out they would pull the loop's body to its left.
 */
export function elkGraphOf(workflow: Workflow, sizeOf: (node: WorkflowNode) => NodeSize): ElkNode {
  const nodesById = new Map(workflow.nodes.map((node) => [node.id, node]));
  const edges = workflow.edges.filter(
    (edge) =>
      nodesById.has(edge.source.node) && nodesById.has(edge.target.node) && !isLoopFeedbackEdge(edge, nodesById),
  );
  const used = (side: 'source' | 'target') => {
    const ports = new Map<string, Set<string>>();
    for (const edge of edges) {
      const ref = edge[side];
      ports.set(ref.node, (ports.get(ref.node) ?? new Set()).add(ref.port));
    }
    return ports;
  };
  const usedOutputs = used('source');
  const usedInputs = used('target');
  const none = new Set<string>();
  return {
    id: 'workflow',
    layoutOptions: LAYOUT_OPTIONS,
    children: workflow.nodes.map((node) => ({
      id: node.id,
      ...sizeOf(node),
      layoutOptions: { 'org.eclipse.elk.portConstraints': 'FIXED_ORDER' },
      ports: portsOf(node, usedInputs.get(node.id) ?? none, usedOutputs.get(node.id) ?? none),
    })),
    edges: edges.map((edge): ElkExtendedEdge => ({
      id: edge.id,
      sources: [portId(edge.source.node, 'out', edge.source.port)],
      targets: [portId(edge.target.node, 'in', edge.target.port)],
    })),
  };
}

/** Where ELK placed each node (its top-left corner, as the canvas positions nodes). */
export function positionsOf(layout: ElkNode): Map<string, Position> {
  return new Map((layout.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
}

export async function layoutWorkflow(
  workflow: Workflow,
  sizeOf: (node: WorkflowNode) => NodeSize,
  elk: Pick<ELK, 'layout'>,
): Promise<Map<string, Position>> {
  return positionsOf(await elk.layout(elkGraphOf(workflow, sizeOf)));
}
