import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useConnection,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeChange,
  type EdgeChange,
} from '@xyflow/react';
import { useCallback, useMemo, useState, type DragEvent } from 'react';
import type { Annotation, WorkflowEdge, WorkflowNode } from '@shared/workflow';
import { GRID } from '../document/editor-store';
import { editorStore, useEditor } from '../document/editor';
import { useRunView } from '../run/canvas-run';
import { WorkflowNodeView, type CanvasNodeData } from './WorkflowNodeView';
import { ANNOTATION_PREFIX, AnnotationView, type AnnotationData } from './AnnotationView';
import { estimatedNodeSize } from './node-size';
import { NodeContextMenu, type NodeMenuAnchor } from './NodeContextMenu';

export const NODE_KIND_DRAG_TYPE = 'application/x-warroom-node-kind';
/** Palette entries that are canvas annotations rather than node kinds. */
export const ANNOTATION_KINDS: readonly Annotation['kind'][] = ['comment', 'group'];
const NO_ANNOTATIONS: Annotation[] = [];

const NODE_TYPES = { warroom: WorkflowNodeView, annotation: AnnotationView };

/**
 * React Flow compares node objects by identity to decide what to re-render, so each workflow node maps
 * to the same canvas node object until that node (or its selection) changes. Keys are the immutable
 * workflow node objects, so entries go away with the versions that made them.
 */
const canvasNodeCache = new WeakMap<WorkflowNode, { selected: boolean; node: Node }>();

function useCanvasNodes(nodes: readonly WorkflowNode[], selected: readonly string[]): Node[] {
  return useMemo(() => {
    const selectedSet = new Set(selected);
    return nodes.map((node) => {
      const isSelected = selectedSet.has(node.id);
      const hit = canvasNodeCache.get(node);
      if (hit && hit.selected === isSelected) return hit.node;
      const size = estimatedNodeSize(node.kind);
      const canvasNode: Node = {
        id: node.id,
        type: 'warroom',
        position: node.position,
        // A size estimate before the node is measured lets the canvas skip off-screen nodes on first render.
        initialWidth: size.width,
        initialHeight: size.height,
        selected: isSelected,
        data: {
          kind: node.kind,
          label: node.label ?? node.id,
          routesErrors: node.config.onError === 'route',
          role: typeof node.config.role === 'string' ? node.config.role : null,
        } satisfies CanvasNodeData,
      };
      canvasNodeCache.set(node, { selected: isSelected, node: canvasNode });
      return canvasNode;
    });
  }, [nodes, selected]);
}

/** Annotations become canvas nodes too (groups drawn behind everything), with a prefixed id. */
function useAnnotationNodes(annotations: readonly Annotation[], selected: readonly string[]): Node[] {
  return useMemo(() => {
    const selectedSet = new Set(selected);
    return annotations.map((annotation) => ({
      id: `${ANNOTATION_PREFIX}${annotation.id}`,
      type: 'annotation',
      position: annotation.position,
      width: annotation.size.width,
      height: annotation.size.height,
      zIndex: annotation.kind === 'group' ? -1 : 0,
      selected: selectedSet.has(annotation.id),
      data: { annotationId: annotation.id, kind: annotation.kind, text: annotation.text } satisfies AnnotationData,
    }));
  }, [annotations, selected]);
}

function useCanvasEdges(
  edges: readonly WorkflowEdge[],
  selected: readonly string[],
  problems: Record<string, string[]>,
  active: ReadonlySet<string>,
): Edge[] {
  return useMemo(() => {
    const selectedSet = new Set(selected);
    return edges.map((edge) => ({
      id: edge.id,
      source: edge.source.node,
      sourceHandle: edge.source.port,
      target: edge.target.node,
      targetHandle: edge.target.port,
      selected: selectedSet.has(edge.id),
      className: problems[edge.id] ? 'edge-problem' : undefined,
      // Data is flowing along an edge whose target is working on it right now.
      animated: active.has(edge.target.node),
    }));
  }, [edges, selected, problems, active]);
}

/** The canvas is controlled: clicks, box selection and Ctrl+click arrive as changes for the store to apply. */
function applySelectionChanges(changes: ReadonlyArray<NodeChange | EdgeChange>, what: 'nodes' | 'edges'): void {
  const picks = changes.flatMap((change) => (change.type === 'select' ? [change] : []));
  if (picks.length === 0) return;
  const state = editorStore.getState();
  if (what === 'edges') {
    const edges = new Set(state.selectedEdgeIds);
    for (const pick of picks) {
      if (pick.selected) edges.add(pick.id);
      else edges.delete(pick.id);
    }
    state.select(state.selectedNodeIds, [...edges]);
    return;
  }
  const nodes = new Set(state.selectedNodeIds);
  const annotations = new Set(state.selectedAnnotationIds);
  for (const pick of picks) {
    const isAnnotation = pick.id.startsWith(ANNOTATION_PREFIX);
    const target = isAnnotation ? annotations : nodes;
    const id = isAnnotation ? pick.id.slice(ANNOTATION_PREFIX.length) : pick.id;
    if (pick.selected) target.add(id);
    else target.delete(id);
  }
  state.select([...nodes], state.selectedEdgeIds);
  state.selectAnnotations([...annotations]);
}

/** While a connection is dragged over a port that would refuse it, say why. */
function ConnectionHint() {
  const connection = useConnection();
  if (!connection.inProgress || !connection.toHandle || !connection.fromHandle) return null;
  const from = connection.fromHandle.type === 'source' ? connection.fromHandle : connection.toHandle;
  const to = connection.fromHandle.type === 'source' ? connection.toHandle : connection.fromHandle;
  const reason = editorStore.getState().connectionProblem({
    source: from.nodeId,
    sourcePort: from.id ?? '',
    target: to.nodeId,
    targetPort: to.id ?? '',
  });
  if (!reason) return null;
  return (
    <div className="connection-hint" role="status" data-testid="connection-hint">
      Cannot connect: {reason}
    </div>
  );
}

export function Canvas({ onNotice }: { onNotice(message: string): void }) {
  const workflow = useEditor((state) => state.workflow);
  const selectedNodeIds = useEditor((state) => state.selectedNodeIds);
  const selectedEdgeIds = useEditor((state) => state.selectedEdgeIds);
  const problemsByEdge = useEditor((state) => state.problemsByEdge);
  const selectedAnnotationIds = useEditor((state) => state.selectedAnnotationIds);
  const graphNodes = useCanvasNodes(workflow?.nodes ?? [], selectedNodeIds);
  const annotationNodes = useAnnotationNodes(workflow?.annotations ?? NO_ANNOTATIONS, selectedAnnotationIds);
  const nodes = useMemo(() => [...annotationNodes, ...graphNodes], [annotationNodes, graphNodes]);
  const activeKey = useRunView((state) =>
    Object.entries(state.nodes)
      .filter(([, node]) => node.status === 'running' || node.status === 'waiting')
      .map(([id]) => id)
      .join('\u0000'),
  );
  const active = useMemo(() => new Set(activeKey ? activeKey.split('\u0000') : []), [activeKey]);
  const edges = useCanvasEdges(workflow?.edges ?? [], selectedEdgeIds, problemsByEdge, active);
  const flow = useReactFlow();
  const [dragOver, setDragOver] = useState(false);
  const [menu, setMenu] = useState<NodeMenuAnchor | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  // Read once: the canvas opens where the user left it when the workflow was saved.
  const [viewport] = useState(() => editorStore.getState().workflow?.viewport ?? { x: 0, y: 0, zoom: 1 });

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const moves = changes.flatMap((change) =>
      change.type === 'position' && change.position ? [{ id: change.id, position: change.position }] : [],
    );
    const nodeMoves = moves.filter((move) => !move.id.startsWith(ANNOTATION_PREFIX));
    if (nodeMoves.length > 0) editorStore.getState().moveNodes(nodeMoves);
    for (const move of moves) {
      if (!move.id.startsWith(ANNOTATION_PREFIX)) continue;
      const id = move.id.slice(ANNOTATION_PREFIX.length);
      editorStore.getState().updateAnnotation(id, { position: move.position }, { record: false });
    }
    applySelectionChanges(changes, 'nodes');
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const removed = changes.flatMap((change) => (change.type === 'remove' ? [change.id] : []));
    if (removed.length > 0) editorStore.getState().removeEdges(removed);
    applySelectionChanges(changes, 'edges');
  }, []);

  const onConnect = useCallback(
    (connection: Connection) => {
      const result = editorStore.getState().connect({
        source: connection.source,
        sourcePort: connection.sourceHandle ?? '',
        target: connection.target,
        targetPort: connection.targetHandle ?? '',
      });
      if (!result.ok) onNotice(`Cannot connect: ${result.reason}`);
    },
    [onNotice],
  );

  const isValidConnection = useCallback(
    (connection: Connection | Edge) =>
      editorStore.getState().connectionProblem({
        source: connection.source,
        sourcePort: connection.sourceHandle ?? '',
        target: connection.target,
        targetPort: connection.targetHandle ?? '',
      }) === null,
    [],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      setDragOver(false);
      const kind = event.dataTransfer.getData(NODE_KIND_DRAG_TYPE);
      if (!kind) return;
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const annotation = ANNOTATION_KINDS.find((candidate) => candidate === kind);
      if (annotation) editorStore.getState().addAnnotation(annotation, { x: position.x - 40, y: position.y - 20 });
      else editorStore.getState().addNode(kind, { x: position.x - 80, y: position.y - 20 });
    },
    [flow],
  );

  return (
    <div
      className={`canvas${dragOver ? ' canvas-drop' : ''}`}
      data-testid="canvas"
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes(NODE_KIND_DRAG_TYPE)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragOver(true);
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={onDrop}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={() => editorStore.getState().checkpoint()}
        onSelectionDragStart={() => editorStore.getState().checkpoint()}
        onConnect={onConnect}
        onNodeContextMenu={(event, node) => {
          if (node.id.startsWith(ANNOTATION_PREFIX)) return;
          event.preventDefault();
          setMenu({ nodeId: node.id, x: event.clientX, y: event.clientY });
        }}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        snapToGrid
        snapGrid={[GRID, GRID]}
        onlyRenderVisibleElements
        defaultViewport={viewport}
        minZoom={0.1}
        maxZoom={2}
        colorMode="dark"
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID} size={1} />
        <MiniMap pannable zoomable nodeStrokeWidth={3} nodeColor="#3a4657" maskColor="rgba(11, 15, 20, 0.7)" />
        <Controls showInteractive={false} />
        <ConnectionHint />
      </ReactFlow>
      {menu ? <NodeContextMenu anchor={menu} onClose={closeMenu} /> : null}
    </div>
  );
}
