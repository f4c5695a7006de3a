import type { Annotation, Workflow, WorkflowEdge, WorkflowNode } from '@shared/workflow';

/** What undo/redo restores: the graph and the document's own fields, not the viewport or selection. */
export interface Snapshot {
  name: string;
  description: string;
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  annotations: Annotation[];
}

export interface History {
  past: Snapshot[];
  future: Snapshot[];
}

const HISTORY_LIMIT = 200;

export const EMPTY_HISTORY: History = { past: [], future: [] };

export function snapshotOf(workflow: Workflow): Snapshot {
  return {
    name: workflow.name,
    description: workflow.description,
    nodes: workflow.nodes,
    edges: workflow.edges,
    annotations: workflow.annotations ?? [],
  };
}

/** Whether two versions differ in anything undo would restore. */
export function sameContent(a: Workflow, b: Workflow): boolean {
  return JSON.stringify(snapshotOf(a)) === JSON.stringify(snapshotOf(b));
}

/** After an edit: the state before it becomes one undo step, and what could be redone is gone. */
export function recordEdit(history: History, before: Workflow): History {
  return { past: [...history.past, snapshotOf(before)].slice(-HISTORY_LIMIT), future: [] };
}

/**
 * One step back (undo) or forward (redo): the workflow to show and the history around it, or null when
 * there is nothing to go back or forward to.
 */
export function travel(
  history: History,
  current: Workflow,
  direction: 'undo' | 'redo',
): { workflow: Workflow; history: History } | null {
  const from = direction === 'undo' ? history.past : history.future;
  const snapshot = from.at(-1);
  if (!snapshot) return null;
  const now = snapshotOf(current);
  return {
    workflow: { ...current, ...snapshot },
    history:
      direction === 'undo'
        ? { past: from.slice(0, -1), future: [...history.future, now] }
        : { past: [...history.past, now], future: from.slice(0, -1) },
  };
}
