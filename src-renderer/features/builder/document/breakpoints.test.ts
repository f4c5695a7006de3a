import { describe, expect, it } from 'vitest';
import { CURRENT_WORKFLOW_SCHEMA_VERSION, type Workflow } from '@shared/workflow';
import { createEditorStore } from './editor-store';
import { breakpointOn, runnableBreakpoints, toggledNodeBreakpoints } from './breakpoints';

const workflow = (): Workflow => ({
  schemaVersion: CURRENT_WORKFLOW_SCHEMA_VERSION,
  id: 'wf',
  name: 'wf',
  description: '',
  nodes: [
    { id: 'a', kind: 'agent', position: { x: 0, y: 0 }, config: { prompt: 'p' } },
    { id: 'l', kind: 'loop', position: { x: 0, y: 0 }, config: {} },
  ],
  edges: [],
  viewport: { x: 0, y: 0, zoom: 1 },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('breakpoints in the editor', () => {
  it('are saved with the document, replaced per kind and node, and left alone by undo', () => {
    const store = createEditorStore();
    store.getState().load(workflow());
    store.getState().setBreakpoint({ kind: 'loop', nodeId: 'l', iteration: 2 }, true);
    store.getState().setBreakpoint({ kind: 'loop', nodeId: 'l', iteration: 5 }, true);
    store.getState().setBreakpoint({ kind: 'tool', nodeId: 'a' }, true);
    const current = store.getState().currentDocument();
    expect(current?.editor?.breakpoints).toEqual([
      { kind: 'loop', nodeId: 'l', iteration: 5 },
      { kind: 'tool', nodeId: 'a' },
    ]);
    expect(store.getState().dirty).toBe(true);
    store.getState().rename('a', 'Agent A');
    store.getState().undo();
    expect(store.getState().workflow?.nodes[0]?.label).toBeUndefined();
    expect(breakpointOn(store.getState().workflow, 'a', 'tool')).toEqual({ kind: 'tool', nodeId: 'a' });
  });

  it('F9 sets a node breakpoint on every selected node, or clears them when all have one', () => {
    const doc = { ...workflow(), editor: { breakpoints: [{ kind: 'node' as const, nodeId: 'a' }] } };
    expect(toggledNodeBreakpoints(doc, ['a', 'l']).map((change) => change.on)).toEqual([true, true]);
    expect(toggledNodeBreakpoints(doc, ['a']).map((change) => change.on)).toEqual([false]);
  });

  it('a run takes only the breakpoints that still fit the graph', () => {
    const doc = {
      ...workflow(),
      editor: {
        breakpoints: [
          { kind: 'node' as const, nodeId: 'deleted' },
          { kind: 'tool' as const, nodeId: 'l' },
          { kind: 'node' as const, nodeId: 'a' },
        ],
      },
    };
    expect(runnableBreakpoints(doc)).toEqual([{ kind: 'node', nodeId: 'a' }]);
  });
});
