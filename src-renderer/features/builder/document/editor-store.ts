import { createStore, type StoreApi } from 'zustand/vanilla';
import { findNodeKind, NODE_KIND_DESCRIPTORS } from '@shared/node-kinds';
import {
  validate,
  type Annotation,
  type ValidationProblem,
  type Workflow,
  type WorkflowEdge,
  type WorkflowNode,
} from '@shared/workflow';
import { connectionProblem, type ConnectionRequest } from './connections';

/**
 * The Builder's document model: one workflow being edited, its selection, undo/redo history and
 * validation. Pure TypeScript over the shared schema (no React, no DOM), so it is unit-tested in Node and
 * the canvas is only a view of it.
 */

export interface Position {
  x: number;
  y: number;
}

/** What undo/redo restores: the graph and the document's own fields, not the viewport or selection. */
interface Snapshot {
  name: string;
  description: string;
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  annotations: Annotation[];
}

export interface ClipboardPayload {
  format: 'warroom/nodes';
  version: 1;
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  annotations?: Annotation[];
}

export interface EditorState {
  workflow: Workflow | null;
  /** The document differs from what was last loaded or saved. */
  dirty: boolean;
  selectedNodeIds: string[];
  selectedEdgeIds: string[];
  selectedAnnotationIds: string[];
  past: Snapshot[];
  future: Snapshot[];
  errors: ValidationProblem[];
  warnings: ValidationProblem[];
  /** Problem messages per node id, so each canvas node subscribes to its own entry only. */
  problemsByNode: Record<string, string[]>;
  problemsByEdge: Record<string, string[]>;
}

export interface EditorActions {
  load(workflow: Workflow): void;
  /** Forgets the open document (and its unsaved changes). */
  close(): void;
  markSaved(workflow: Workflow): void;
  isDirty(): boolean;
  /** The document as it stands (with the viewport given), ready to save. */
  currentDocument(): Workflow | null;
  setMeta(fields: { name?: string; description?: string }): void;
  addNode(kind: string, position: Position): string;
  /** Call once before a drag (or other continuous change) so it is one undo step. */
  checkpoint(): void;
  moveNodes(moves: ReadonlyArray<{ id: string; position: Position }>): void;
  addAnnotation(kind: Annotation['kind'], position: Position): string;
  /** `record: false` for typing and resizing after a checkpoint(). */
  updateAnnotation(
    id: string,
    change: Partial<Pick<Annotation, 'text' | 'position' | 'size'>>,
    options?: { record?: boolean },
  ): void;
  selectAnnotations(ids: string[]): void;
  /** Why a connection is refused, or null when it is allowed. */
  connectionProblem(request: ConnectionRequest): string | null;
  connect(request: ConnectionRequest): { ok: true; edgeId: string } | { ok: false; reason: string };
  select(nodeIds: string[], edgeIds?: string[]): void;
  selectAll(): void;
  removeSelected(): void;
  removeEdges(edgeIds: string[]): void;
  /** `record: false` for keystrokes after a checkpoint(), so typing a prompt is one undo step. */
  updateConfig(nodeId: string, config: Record<string, unknown>, options?: { record?: boolean }): void;
  rename(nodeId: string, label: string): void;
  copySelection(): ClipboardPayload | null;
  paste(payload: ClipboardPayload, offset?: Position): void;
  duplicateSelection(): void;
  undo(): void;
  redo(): void;
  autoLayout(): void;
  alignSelection(axis: 'left' | 'top'): void;
}

export type EditorStore = StoreApi<EditorState & EditorActions>;

const HISTORY_LIMIT = 200;
export const GRID = 20;
const LAYOUT_COLUMN = 300;
const LAYOUT_ROW = 140;

const snap = (value: number) => Math.round(value / GRID) * GRID;

function snapshotOf(workflow: Workflow): Snapshot {
  return {
    name: workflow.name,
    description: workflow.description,
    nodes: workflow.nodes,
    edges: workflow.edges,
    annotations: workflow.annotations ?? [],
  };
}

/** Nothing selected: the state after opening, closing or undoing. */
const NO_SELECTION = { selectedNodeIds: [], selectedEdgeIds: [], selectedAnnotationIds: [] } satisfies Pick<
  EditorState,
  'selectedNodeIds' | 'selectedEdgeIds' | 'selectedAnnotationIds'
>;

const ANNOTATION_SIZES: Record<Annotation['kind'], Annotation['size']> = {
  comment: { width: 220, height: 120 },
  group: { width: 480, height: 300 },
};

function indexProblems(problems: ValidationProblem[]) {
  const byNode: Record<string, string[]> = {};
  const byEdge: Record<string, string[]> = {};
  for (const problem of problems) {
    if (problem.nodeId) (byNode[problem.nodeId] ??= []).push(problem.message);
    if (problem.edgeId) (byEdge[problem.edgeId] ??= []).push(problem.message);
  }
  return { problemsByNode: byNode, problemsByEdge: byEdge };
}

function validationState(workflow: Workflow) {
  const result = validate(workflow);
  return {
    errors: result.errors,
    warnings: result.warnings,
    ...indexProblems([...result.errors, ...result.warnings]),
  };
}

/** A short id unused in the workflow, readable in files: `agent-3`. */
function freshId(prefix: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** The config a new node starts with: the schema's defaults plus placeholders users then edit. */
export function initialConfig(kind: string): Record<string, unknown> {
  const descriptor = findNodeKind(kind);
  return descriptor ? fieldDefaults(descriptor.config) : {};
}

/** Inputs and outputs are named in runs (`--input topic=…`); start from a name derived from the id. */
function nameFor(kind: string, id: string): Record<string, unknown> {
  return kind === 'input' || kind === 'output' ? { name: id.replace(/-/g, '_') } : {};
}

interface SchemaLike {
  safeParse(value: unknown): { success: boolean; data?: unknown };
  shape?: Record<string, SchemaLike>;
  options?: SchemaLike[];
}

/**
 * Each field's default, taken one field at a time: a config with a required field (an agent's prompt)
 * does not parse as a whole when empty, but its other fields still have defaults worth starting from.
 * For a union (condition: expression or question) the first form is the starting point.
 */
function fieldDefaults(schema: SchemaLike): Record<string, unknown> {
  const object = schema.shape ? schema : schema.options?.[0];
  if (!object?.shape) return {};
  const defaults: Record<string, unknown> = {};
  for (const [field, fieldSchema] of Object.entries(object.shape)) {
    const parsed = fieldSchema.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) defaults[field] = parsed.data;
  }
  return defaults;
}

export function createEditorStore(): EditorStore {
  return createStore<EditorState & EditorActions>()((set, get) => {
    /** Applies a change to the graph as one undo step, then re-validates. */
    const change = (
      mutate: (workflow: Workflow) => Workflow,
      options: { record?: boolean; positionsOnly?: boolean } = {},
    ) => {
      const { workflow, past } = get();
      if (!workflow) return;
      const next = mutate(workflow);
      if (next === workflow) return;
      const record = options.record ?? true;
      set({
        workflow: next,
        past: record ? [...past, snapshotOf(workflow)].slice(-HISTORY_LIMIT) : past,
        future: record ? [] : get().future,
        dirty: true,
        // Moving nodes cannot change validity: skip re-validating on every frame of a drag.
        ...(options.positionsOnly ? {} : validationState(next)),
      });
    };

    const restore = (from: 'past' | 'future') => {
      const state = get();
      const stack = state[from];
      const snapshot = stack.at(-1);
      if (!state.workflow || !snapshot) return;
      const current = snapshotOf(state.workflow);
      const workflow = { ...state.workflow, ...snapshot };
      const ids = new Set(workflow.nodes.map((node) => node.id));
      set({
        workflow,
        past: from === 'past' ? stack.slice(0, -1) : [...state.past, current],
        future: from === 'future' ? stack.slice(0, -1) : [...state.future, current],
        selectedNodeIds: state.selectedNodeIds.filter((id) => ids.has(id)),
        selectedEdgeIds: [],
        selectedAnnotationIds: [],
        dirty: true,
        ...validationState(workflow),
      });
    };

    return {
      workflow: null,
      dirty: false,
      ...NO_SELECTION,
      past: [],
      future: [],
      errors: [],
      warnings: [],
      problemsByNode: {},
      problemsByEdge: {},

      load(workflow) {
        set({
          workflow,
          dirty: false,
          ...NO_SELECTION,
          past: [],
          future: [],
          ...validationState(workflow),
        });
      },

      close() {
        set({
          workflow: null,
          dirty: false,
          ...NO_SELECTION,
          past: [],
          future: [],
        });
      },

      markSaved(saved) {
        const { workflow: current } = get();
        if (!current || current.id !== saved.id) {
          get().load(saved);
          return;
        }
        // Keep what the user did while the save was in flight; only the stamps come from the server.
        const unchanged = JSON.stringify(snapshotOf(current)) === JSON.stringify(snapshotOf(saved));
        set({ workflow: { ...current, updatedAt: saved.updatedAt }, dirty: !unchanged });
      },

      isDirty() {
        return get().dirty;
      },

      currentDocument() {
        return get().workflow;
      },

      setMeta(fields) {
        change((workflow) => ({ ...workflow, ...fields }));
      },

      addNode(kind, position) {
        const workflow = get().workflow;
        if (!workflow) throw new Error('No workflow is open');
        const id = freshId(kind, new Set(workflow.nodes.map((node) => node.id)));
        const descriptor = findNodeKind(kind);
        const node: WorkflowNode = {
          id,
          kind,
          label: descriptor?.title ?? kind,
          position: { x: snap(position.x), y: snap(position.y) },
          config: { ...initialConfig(kind), ...nameFor(kind, id) },
        };
        change((current) => ({ ...current, nodes: [...current.nodes, node] }));
        set({ selectedNodeIds: [id], selectedEdgeIds: [] });
        return id;
      },

      checkpoint() {
        const { workflow, past } = get();
        if (workflow) set({ past: [...past, snapshotOf(workflow)].slice(-HISTORY_LIMIT), future: [] });
      },

      moveNodes(moves) {
        const byId = new Map(moves.map((move) => [move.id, move.position]));
        change(
          (workflow) => ({
            ...workflow,
            nodes: workflow.nodes.map((node) => {
              const position = byId.get(node.id);
              return position ? { ...node, position: { x: snap(position.x), y: snap(position.y) } } : node;
            }),
          }),
          { record: false, positionsOnly: true },
        );
      },

      addAnnotation(kind, position) {
        const workflow = get().workflow;
        if (!workflow) throw new Error('No workflow is open');
        const annotations = workflow.annotations ?? [];
        const id = freshId(kind, new Set(annotations.map((annotation) => annotation.id)));
        const annotation: Annotation = {
          id,
          kind,
          text: kind === 'group' ? 'Group' : '',
          position: { x: snap(position.x), y: snap(position.y) },
          size: ANNOTATION_SIZES[kind],
        };
        change((current) => ({ ...current, annotations: [...(current.annotations ?? []), annotation] }), {
          positionsOnly: true,
        });
        set({ selectedNodeIds: [], selectedEdgeIds: [], selectedAnnotationIds: [id] });
        return id;
      },

      updateAnnotation(id, update, options) {
        change(
          (workflow) => ({
            ...workflow,
            annotations: (workflow.annotations ?? []).map((annotation) =>
              annotation.id === id ? { ...annotation, ...update } : annotation,
            ),
          }),
          { ...options, positionsOnly: true },
        );
      },

      selectAnnotations(ids) {
        set({ selectedAnnotationIds: ids });
      },

      connectionProblem(request) {
        const workflow = get().workflow;
        return workflow ? connectionProblem(workflow, request) : 'no workflow is open';
      },

      connect(request) {
        const reason = get().connectionProblem(request);
        if (reason) return { ok: false, reason };
        const workflow = get().workflow as Workflow;
        const edgeId = freshId('edge', new Set(workflow.edges.map((edge) => edge.id)));
        change((current) => ({
          ...current,
          edges: [
            ...current.edges,
            {
              id: edgeId,
              source: { node: request.source, port: request.sourcePort },
              target: { node: request.target, port: request.targetPort },
            },
          ],
        }));
        return { ok: true, edgeId };
      },

      select(nodeIds, edgeIds = []) {
        set({ selectedNodeIds: nodeIds, selectedEdgeIds: edgeIds });
      },

      selectAll() {
        const workflow = get().workflow;
        if (!workflow) return;
        set({
          selectedNodeIds: workflow.nodes.map((node) => node.id),
          selectedEdgeIds: [],
          selectedAnnotationIds: (workflow.annotations ?? []).map((annotation) => annotation.id),
        });
      },

      removeSelected() {
        const { selectedNodeIds, selectedEdgeIds, selectedAnnotationIds } = get();
        if (selectedNodeIds.length + selectedEdgeIds.length + selectedAnnotationIds.length === 0) return;
        const nodes = new Set(selectedNodeIds);
        const edges = new Set(selectedEdgeIds);
        const annotations = new Set(selectedAnnotationIds);
        change((workflow) => ({
          ...workflow,
          nodes: workflow.nodes.filter((node) => !nodes.has(node.id)),
          edges: workflow.edges.filter(
            (edge) => !edges.has(edge.id) && !nodes.has(edge.source.node) && !nodes.has(edge.target.node),
          ),
          annotations: (workflow.annotations ?? []).filter((annotation) => !annotations.has(annotation.id)),
        }));
        set(NO_SELECTION);
      },

      removeEdges(edgeIds) {
        const doomed = new Set(edgeIds);
        change((workflow) =>
          workflow.edges.some((edge) => doomed.has(edge.id))
            ? { ...workflow, edges: workflow.edges.filter((edge) => !doomed.has(edge.id)) }
            : workflow,
        );
      },

      updateConfig(nodeId, config, options) {
        change(
          (workflow) => ({
            ...workflow,
            nodes: workflow.nodes.map((node) => (node.id === nodeId ? { ...node, config } : node)),
          }),
          options,
        );
      },

      rename(nodeId, label) {
        change((workflow) => ({
          ...workflow,
          nodes: workflow.nodes.map((node) => (node.id === nodeId ? { ...node, label } : node)),
        }));
      },

      copySelection() {
        const { workflow, selectedNodeIds, selectedAnnotationIds } = get();
        if (!workflow || selectedNodeIds.length + selectedAnnotationIds.length === 0) return null;
        const ids = new Set(selectedNodeIds);
        const annotationIds = new Set(selectedAnnotationIds);
        return {
          format: 'warroom/nodes',
          version: 1,
          nodes: workflow.nodes.filter((node) => ids.has(node.id)),
          // Only edges inside the selection travel with it.
          edges: workflow.edges.filter((edge) => ids.has(edge.source.node) && ids.has(edge.target.node)),
          annotations: (workflow.annotations ?? []).filter((annotation) => annotationIds.has(annotation.id)),
        };
      },

      paste(payload, offset = { x: 2 * GRID, y: 2 * GRID }) {
        const workflow = get().workflow;
        if (!workflow || payload.nodes.length + (payload.annotations?.length ?? 0) === 0) return;
        const takenNodes = new Set(workflow.nodes.map((node) => node.id));
        const takenEdges = new Set(workflow.edges.map((edge) => edge.id));
        const renamed = new Map<string, string>();
        const nodes = payload.nodes.map((node) => {
          const id = freshId(node.kind, takenNodes);
          takenNodes.add(id);
          renamed.set(node.id, id);
          return { ...node, id, position: { x: node.position.x + offset.x, y: node.position.y + offset.y } };
        });
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
          return {
            ...annotation,
            id,
            position: { x: annotation.position.x + offset.x, y: annotation.position.y + offset.y },
          };
        });
        change((current) => ({
          ...current,
          nodes: [...current.nodes, ...nodes],
          edges: [...current.edges, ...edges],
          annotations: [...(current.annotations ?? []), ...annotations],
        }));
        set({
          selectedNodeIds: nodes.map((node) => node.id),
          selectedEdgeIds: [],
          selectedAnnotationIds: annotations.map((annotation) => annotation.id),
        });
      },

      duplicateSelection() {
        const payload = get().copySelection();
        if (payload) get().paste(payload);
      },

      undo() {
        restore('past');
      },

      redo() {
        restore('future');
      },

      autoLayout() {
        change((workflow) => ({ ...workflow, nodes: layeredLayout(workflow) }));
      },

      alignSelection(axis) {
        const { workflow, selectedNodeIds } = get();
        if (!workflow || selectedNodeIds.length < 2) return;
        const ids = new Set(selectedNodeIds);
        const chosen = workflow.nodes.filter((node) => ids.has(node.id));
        const key = axis === 'left' ? 'x' : 'y';
        const edge = Math.min(...chosen.map((node) => node.position[key]));
        change((current) => ({
          ...current,
          nodes: current.nodes.map((node) =>
            ids.has(node.id) ? { ...node, position: { ...node.position, [key]: edge } } : node,
          ),
        }));
      },
    };
  });
}

/**
 * Columns by longest path from a source (feedback edges into loops are ignored so loops do not push
 * their body ever rightwards), rows in the order nodes appear.
 */
export function layeredLayout(workflow: Workflow): WorkflowNode[] {
  const feedback = (edge: WorkflowEdge) =>
    workflow.nodes.find((node) => node.id === edge.target.node)?.kind === 'loop' && edge.target.port === 'next';
  const incoming = new Map<string, string[]>();
  for (const edge of workflow.edges) {
    if (feedback(edge)) continue;
    const list = incoming.get(edge.target.node) ?? [];
    list.push(edge.source.node);
    incoming.set(edge.target.node, list);
  }
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const parents = incoming.get(id) ?? [];
    const value = parents.length === 0 ? 0 : 1 + Math.max(...parents.map(depthOf));
    visiting.delete(id);
    depth.set(id, value);
    return value;
  };
  const rows = new Map<number, number>();
  return workflow.nodes.map((node) => {
    const column = depthOf(node.id);
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return { ...node, position: { x: column * LAYOUT_COLUMN, y: row * LAYOUT_ROW } };
  });
}

/** Palette entries, grouped the way users think about them. */
export const PALETTE_GROUPS: ReadonlyArray<{ title: string; kinds: string[] }> = [
  { title: 'Flow', kinds: ['input', 'output', 'condition', 'loop', 'map', 'join', 'approval', 'subworkflow'] },
  { title: 'Agents & tools', kinds: ['agent', 'tool', 'code', 'transform'] },
  { title: 'Memory', kinds: ['memory-search', 'memory-store'] },
];

/** Every kind the engine registers appears in the palette, even one not yet placed in a group. */
export function paletteGroups() {
  const grouped = new Set(PALETTE_GROUPS.flatMap((group) => group.kinds));
  const others = NODE_KIND_DESCRIPTORS.filter((descriptor) => !grouped.has(descriptor.kind)).map((d) => d.kind);
  const groups = PALETTE_GROUPS.map((group) => ({
    title: group.title,
    kinds: group.kinds.filter((kind) => findNodeKind(kind)),
  }));
  return others.length > 0 ? [...groups, { title: 'Other', kinds: others }] : groups;
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
