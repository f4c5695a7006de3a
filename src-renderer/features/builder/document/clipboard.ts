import type { Annotation, Workflow, WorkflowEdge, WorkflowNode } from '@shared/workflow';
import { freshId } from './ids';

/** Copied nodes as text: the same payload pastes into this workflow or any other. */
export interface ClipboardPayload {
  format: 'warroom/nodes';
  version: 1;
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  annotations?: Annotation[];
}

/** The selected nodes and annotations, with only the edges inside the selection; null when nothing is chosen. */
export function copyOf(
  workflow: Workflow,
  nodeIds: readonly string[],
  annotationIds: readonly string[],
): ClipboardPayload | null {
  if (nodeIds.length + annotationIds.length === 0) return null;
  const ids = new Set(nodeIds);
  const annotations = new Set(annotationIds);
  return {
    format: 'warroom/nodes',
    version: 1,
    nodes: workflow.nodes.filter((node) => ids.has(node.id)),
    edges: workflow.edges.filter((edge) => ids.has(edge.source.node) && ids.has(edge.target.node)),
    annotations: (workflow.annotations ?? []).filter((annotation) => annotations.has(annotation.id)),
  };
}

/**
 * The workflow with the payload added, shifted by `offset`, under ids fresh in this workflow (pasting
 * twice, or into the workflow it came from, never collides); also the new ids, to select them.
 */
export function pasteInto(
  workflow: Workflow,
  payload: ClipboardPayload,
  offset: { x: number; y: number },
): { workflow: Workflow; nodeIds: string[]; annotationIds: string[] } {
  const shift = <T extends { position: { x: number; y: number } }>(item: T): T => ({
    ...item,
    position: { x: item.position.x + offset.x, y: item.position.y + offset.y },
  });
  const takenNodes = new Set(workflow.nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  const nodes = payload.nodes.map((node) => {
    const id = freshId(node.kind, takenNodes);
    takenNodes.add(id);
    renamed.set(node.id, id);
    return { ...shift(node), id };
  });
  const takenEdges = new Set(workflow.edges.map((edge) => edge.id));
  const edges = payload.edges.flatMap((edge) => {
    const source = renamed.get(edge.source.node);
    const target = renamed.get(edge.target.node);
    if (!source || !target) return [];
    const id = freshId('edge', takenEdges);
    takenEdges.add(id);
    return [{ id, source: { ...edge.source, node: source }, target: { ...edge.target, node: target } }];
  });
  const takenAnnotations = new Set((workflow.annotations ?? []).map((annotation) => annotation.id));
  const annotations = (payload.annotations ?? []).map((annotation) => {
    const id = freshId(annotation.kind, takenAnnotations);
    takenAnnotations.add(id);
    return { ...shift(annotation), id };
  });
  return {
    workflow: {
      ...workflow,
      nodes: [...workflow.nodes, ...nodes],
      edges: [...workflow.edges, ...edges],
      annotations: [...(workflow.annotations ?? []), ...annotations],
    },
    nodeIds: nodes.map((node) => node.id),
    annotationIds: annotations.map((annotation) => annotation.id),
  };
}

/** Parses clipboard text into a payload, or null for anything that is not War Room nodes. */
export function parseClipboard(text: string): ClipboardPayload | null {
  try {
    const value = JSON.parse(text) as Partial<ClipboardPayload>;
    if (
      value.format !== 'warroom/nodes' ||
      value.version !== 1 ||
      !Array.isArray(value.nodes) ||
      !Array.isArray(value.edges)
    ) {
      return null;
    }
    return value as ClipboardPayload;
  } catch {
    return null;
  }
}
