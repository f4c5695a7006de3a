import { createStore, type StoreApi } from 'zustand/vanilla';
import { sameBreakpoint, type Breakpoint } from '@shared/breakpoints';
import { findNodeKind } from '@shared/node-kinds';
import type { Annotation, ValidationProblem, Workflow, WorkflowNode } from '@shared/workflow';
import { copyOf, pasteInto, type ClipboardPayload } from './clipboard';
import { connectionProblem, type ConnectionRequest } from './connections';
import { EMPTY_HISTORY, recordEdit, sameContent, travel, type History } from './history';
import { freshId } from './ids';
import { initialConfig, nameFor } from './node-defaults';
import { validationState } from './problems';

/**
 * The Builder's document model: one workflow being edited, its selection, undo/redo history and
 * validation. Pure TypeScript over the shared schema (no React, no DOM), so it is unit-tested in Node and
 * the canvas is only a view of it.
 */

export interface Position {
  x: number;
  y: number;
}

export interface EditorState {
  workflow: Workflow | null;
  /** The document differs from what was last loaded or saved. */
  dirty: boolean;
  selectedNodeIds: string[];
  selectedEdgeIds: string[];
  selectedAnnotationIds: string[];
  past: History['past'];
  future: History['future'];
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
  /**
   * Sets (`on`) or clears a node's breakpoint of that kind; a loop's iteration is replaced. Breakpoints are
   * editor state saved with the workflow; like the viewport, undo leaves them alone.
   */
  setBreakpoint(breakpoint: Breakpoint, on: boolean): void;
  copySelection(): ClipboardPayload | null;
  paste(payload: ClipboardPayload, offset?: Position): void;
  duplicateSelection(): void;
  undo(): void;
  redo(): void;
  /** Places nodes where a layout put them, as one undo step. */
  applyLayout(positions: ReadonlyMap<string, Position>): void;
  alignSelection(axis: 'left' | 'top'): void;
}

export type EditorStore = StoreApi<EditorState & EditorActions>;

export const GRID = 20;

const snap = (value: number) => Math.round(value / GRID) * GRID;
const onGrid = (position: Position): Position => ({ x: snap(position.x), y: snap(position.y) });

/** The workflow with the nodes named in `positions` moved there, each onto the grid. */
function withNodesAt(workflow: Workflow, positions: ReadonlyMap<string, Position>): Workflow {
  return {
    ...workflow,
    nodes: workflow.nodes.map((node) => {
      const position = positions.get(node.id);
      return position ? { ...node, position: onGrid(position) } : node;
    }),
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

export function createEditorStore(): EditorStore {
  return createStore<EditorState & EditorActions>()((set, get) => {
    /** Applies a change to the graph as one undo step, then re-validates. */
    const change = (
      mutate: (workflow: Workflow) => Workflow,
      options: { record?: boolean; positionsOnly?: boolean } = {},
    ) => {
      const { workflow, past, future } = get();
      if (!workflow) return;
      const next = mutate(workflow);
      if (next === workflow) return;
      set({
        workflow: next,
        ...((options.record ?? true) ? recordEdit({ past, future }, workflow) : {}),
        dirty: true,
        // Moving nodes cannot change validity: skip re-validating on every frame of a drag.
        ...(options.positionsOnly ? {} : validationState(next)),
      });
    };

    const restore = (direction: 'undo' | 'redo') => {
      const state = get();
      const step = state.workflow && travel(state, state.workflow, direction);
      if (!step) return;
      const ids = new Set(step.workflow.nodes.map((node) => node.id));
      set({
        workflow: step.workflow,
        ...step.history,
        selectedNodeIds: state.selectedNodeIds.filter((id) => ids.has(id)),
        selectedEdgeIds: [],
        selectedAnnotationIds: [],
        dirty: true,
        ...validationState(step.workflow),
      });
    };

    return {
      workflow: null,
      dirty: false,
      ...NO_SELECTION,
      ...EMPTY_HISTORY,
      errors: [],
      warnings: [],
      problemsByNode: {},
      problemsByEdge: {},

      load(workflow) {
        set({
          workflow,
          dirty: false,
          ...NO_SELECTION,
          ...EMPTY_HISTORY,
          ...validationState(workflow),
        });
      },

      close() {
        set({
          workflow: null,
          dirty: false,
          ...NO_SELECTION,
          ...EMPTY_HISTORY,
        });
      },

      markSaved(saved) {
        const { workflow: current } = get();
        if (!current || current.id !== saved.id) {
          get().load(saved);
          return;
        }
        // Keep what the user did while the save was in flight; only the stamps come from the server.
        set({ workflow: { ...current, updatedAt: saved.updatedAt }, dirty: !sameContent(current, saved) });
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
          position: onGrid(position),
          config: { ...initialConfig(kind), ...nameFor(kind, id) },
        };
        change((current) => ({ ...current, nodes: [...current.nodes, node] }));
        set({ selectedNodeIds: [id], selectedEdgeIds: [] });
        return id;
      },

      checkpoint() {
        const { workflow, past, future } = get();
        if (workflow) set(recordEdit({ past, future }, workflow));
      },

      moveNodes(moves) {
        const byId = new Map(moves.map((move) => [move.id, move.position]));
        change((workflow) => withNodesAt(workflow, byId), { record: false, positionsOnly: true });
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
          position: onGrid(position),
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

      setBreakpoint(breakpoint, on) {
        change(
          (workflow) => {
            const others = (workflow.editor?.breakpoints ?? []).filter(
              (existing) => !sameBreakpoint(existing, breakpoint),
            );
            return { ...workflow, editor: { ...workflow.editor, breakpoints: on ? [...others, breakpoint] : others } };
          },
          { record: false, positionsOnly: true },
        );
      },

      copySelection() {
        const { workflow, selectedNodeIds, selectedAnnotationIds } = get();
        return workflow ? copyOf(workflow, selectedNodeIds, selectedAnnotationIds) : null;
      },

      paste(payload, offset = { x: 2 * GRID, y: 2 * GRID }) {
        const workflow = get().workflow;
        if (!workflow || payload.nodes.length + (payload.annotations?.length ?? 0) === 0) return;
        const pasted = pasteInto(workflow, payload, offset);
        change(() => pasted.workflow);
        set({ selectedNodeIds: pasted.nodeIds, selectedEdgeIds: [], selectedAnnotationIds: pasted.annotationIds });
      },

      duplicateSelection() {
        const payload = get().copySelection();
        if (payload) get().paste(payload);
      },

      undo() {
        restore('undo');
      },

      redo() {
        restore('redo');
      },

      applyLayout(positions) {
        change((workflow) => withNodesAt(workflow, positions), { positionsOnly: true });
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
