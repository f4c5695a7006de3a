import { describe, expect, it } from 'vitest';
import { createEmptyWorkflow } from '@shared/workflow';
import { parseClipboard } from './clipboard';
import { createEditorStore } from './editor-store';

function openEditor() {
  const store = createEditorStore();
  store.getState().load(createEmptyWorkflow('wf-test', 'Test', new Date('2026-11-21T00:00:00Z')));
  return store;
}

describe('editor store', () => {
  it('adds nodes with defaults, snapped to the grid, and selects the new node', () => {
    const store = openEditor();
    const id = store.getState().addNode('agent', { x: 103, y: 47 });
    const node = store.getState().workflow?.nodes[0];
    expect(id).toBe('agent-1');
    expect(node).toMatchObject({ id: 'agent-1', kind: 'agent', label: 'Agent', position: { x: 100, y: 40 } });
    expect(node?.config).toMatchObject({ maxTurns: 8, onError: 'fail' });
    expect(store.getState().selectedNodeIds).toEqual(['agent-1']);
    expect(store.getState().addNode('agent', { x: 0, y: 0 })).toBe('agent-2');
  });

  it('maps validation problems to the nodes they name, and clears them when fixed', () => {
    const store = openEditor();
    const agent = store.getState().addNode('agent', { x: 0, y: 0 });
    expect(store.getState().problemsByNode[agent]?.join(' ')).toMatch(/prompt/);
    expect(store.getState().errors.some((problem) => problem.nodeId === agent)).toBe(true);
    const config = store.getState().workflow?.nodes[0]?.config ?? {};
    store.getState().updateConfig(agent, { ...config, prompt: 'Review {{in}}' });
    expect(store.getState().problemsByNode[agent]?.some((message) => /prompt/.test(message)) ?? false).toBe(false);
  });

  it('refuses incompatible or impossible connections with a reason, and accepts good ones', () => {
    const store = openEditor();
    const input = store.getState().addNode('input', { x: 0, y: 0 });
    const search = store.getState().addNode('memory-search', { x: 300, y: 0 });
    const join = store.getState().addNode('join', { x: 600, y: 0 });
    const state = store.getState();
    expect(state.connectionProblem({ source: search, sourcePort: 'hits', target: search, targetPort: 'query' })).toBe(
      'a node cannot feed itself',
    );
    // A list cannot flow into a text input.
    const listIntoText = state.connect({
      source: search,
      sourcePort: 'hits',
      target: search + 'x',
      targetPort: 'query',
    });
    expect(listIntoText.ok).toBe(false);
    const search2 = store.getState().addNode('memory-search', { x: 300, y: 200 });
    const refused = store
      .getState()
      .connect({ source: search, sourcePort: 'hits', target: search2, targetPort: 'query' });
    expect(refused).toEqual({ ok: false, reason: 'list output "hits" cannot feed text input "query"' });

    expect(
      store.getState().connect({ source: input, sourcePort: 'value', target: search, targetPort: 'query' }),
    ).toEqual({
      ok: true,
      edgeId: 'edge-1',
    });
    expect(
      store.getState().connect({ source: input, sourcePort: 'value', target: search, targetPort: 'query' }),
    ).toEqual({
      ok: false,
      reason: 'these ports are already connected',
    });
    const other = store.getState().addNode('input', { x: 0, y: 200 });
    expect(
      store.getState().connect({ source: other, sourcePort: 'value', target: search, targetPort: 'query' }),
    ).toEqual({
      ok: false,
      reason: 'input "query" takes one connection',
    });
    // A join input takes many.
    expect(store.getState().connect({ source: input, sourcePort: 'value', target: join, targetPort: 'in' }).ok).toBe(
      true,
    );
    expect(store.getState().connect({ source: other, sourcePort: 'value', target: join, targetPort: 'in' }).ok).toBe(
      true,
    );
  });

  it('undoes and redoes every edit, and a drag is one step', () => {
    const store = openEditor();
    const a = store.getState().addNode('input', { x: 0, y: 0 });
    const b = store.getState().addNode('output', { x: 300, y: 0 });
    store.getState().connect({ source: a, sourcePort: 'value', target: b, targetPort: 'value' });
    store.getState().checkpoint();
    store.getState().moveNodes([{ id: a, position: { x: 20, y: 20 } }]);
    store.getState().moveNodes([{ id: a, position: { x: 40, y: 60 } }]);
    expect(store.getState().workflow?.nodes[0]?.position).toEqual({ x: 40, y: 60 });

    store.getState().undo();
    expect(store.getState().workflow?.nodes[0]?.position).toEqual({ x: 0, y: 0 });
    store.getState().undo();
    expect(store.getState().workflow?.edges).toEqual([]);
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().workflow?.nodes).toEqual([]);
    store.getState().undo();
    expect(store.getState().workflow?.nodes).toEqual([]);

    store.getState().redo();
    store.getState().redo();
    store.getState().redo();
    expect(store.getState().workflow?.edges).toHaveLength(1);
    store.getState().redo();
    expect(store.getState().workflow?.nodes[0]?.position).toEqual({ x: 40, y: 60 });
    // A new edit drops the redo stack.
    store.getState().undo();
    store.getState().rename(a, 'Task');
    store.getState().redo();
    expect(store.getState().workflow?.nodes[0]).toMatchObject({ label: 'Task', position: { x: 0, y: 0 } });
  });

  it('copies a selection with its inner edges and pastes it into another workflow with fresh ids', () => {
    const source = openEditor();
    const a = source.getState().addNode('input', { x: 0, y: 0 });
    const b = source.getState().addNode('output', { x: 300, y: 0 });
    const c = source.getState().addNode('output', { x: 300, y: 200 });
    source.getState().connect({ source: a, sourcePort: 'value', target: b, targetPort: 'value' });
    source.getState().connect({ source: a, sourcePort: 'value', target: c, targetPort: 'value' });
    source.getState().select([a, b]);
    const payload = parseClipboard(JSON.stringify(source.getState().copySelection()));
    expect(payload?.nodes.map((node) => node.id)).toEqual([a, b]);
    expect(payload?.edges).toHaveLength(1);

    const target = openEditor();
    target.getState().addNode('input', { x: 0, y: 0 });
    target.getState().paste(payload ?? { format: 'warroom/nodes', version: 1, nodes: [], edges: [] });
    const pasted = target.getState().workflow;
    expect(pasted?.nodes.map((node) => node.id)).toEqual(['input-1', 'input-2', 'output-1']);
    expect(pasted?.edges).toEqual([
      { id: 'edge-1', source: { node: 'input-2', port: 'value' }, target: { node: 'output-1', port: 'value' } },
    ]);
    expect(target.getState().selectedNodeIds).toEqual(['input-2', 'output-1']);
    expect(parseClipboard('{"hello": 1}')).toBeNull();
    expect(parseClipboard('not json')).toBeNull();
  });

  it('duplicates, deletes with attached edges, and tracks unsaved changes', () => {
    const store = openEditor();
    expect(store.getState().isDirty()).toBe(false);
    const a = store.getState().addNode('input', { x: 0, y: 0 });
    const b = store.getState().addNode('output', { x: 300, y: 0 });
    store.getState().connect({ source: a, sourcePort: 'value', target: b, targetPort: 'value' });
    expect(store.getState().isDirty()).toBe(true);
    store.getState().markSaved(store.getState().workflow ?? createEmptyWorkflow('x', 'x', new Date()));
    expect(store.getState().isDirty()).toBe(false);

    store.getState().select([a]);
    store.getState().duplicateSelection();
    expect(store.getState().workflow?.nodes.map((node) => node.id)).toEqual([a, b, 'input-2']);
    store.getState().select([a]);
    store.getState().removeSelected();
    expect(store.getState().workflow?.nodes.map((node) => node.id)).toEqual([b, 'input-2']);
    expect(store.getState().workflow?.edges).toEqual([]);
    expect(store.getState().isDirty()).toBe(true);
  });

  // Where a layout puts nodes is canvas/auto-layout.test.ts; here, that applying it is one undo step.
  it('applies a layout as one undo step, and aligns a selection', () => {
    const store = openEditor();
    const a = store.getState().addNode('input', { x: 500, y: 500 });
    const t = store.getState().addNode('transform', { x: 0, y: 0 });
    const o = store.getState().addNode('output', { x: 0, y: 0 });
    store.getState().connect({ source: a, sourcePort: 'value', target: t, targetPort: 'in' });
    store.getState().connect({ source: t, sourcePort: 'out', target: o, targetPort: 'value' });
    const steps = store.getState().past.length;
    store.getState().applyLayout(
      new Map([
        [a, { x: 0, y: 3 }],
        [t, { x: 300, y: 0 }],
        [o, { x: 600, y: 0 }],
      ]),
    );
    expect(store.getState().workflow?.nodes.map((node) => node.position)).toEqual([
      { x: 0, y: 0 },
      { x: 300, y: 0 },
      { x: 600, y: 0 },
    ]);
    expect(store.getState().past.length).toBe(steps + 1);
    store.getState().undo();
    expect(store.getState().workflow?.nodes.map((node) => node.position.x)).toEqual([500, 0, 0]);
    store.getState().redo();
    expect(store.getState().workflow?.nodes.map((node) => node.position.x)).toEqual([0, 300, 600]);
    store.getState().undo();
    store.getState().select([a, t]);
    store.getState().alignSelection('top');
    expect(
      store
        .getState()
        .workflow?.nodes.slice(0, 2)
        .map((node) => node.position.y),
    ).toEqual([0, 0]);
  });
});

describe('canvas annotations', () => {
  it('adds, edits, moves, copies and deletes comments and groups, all undoable, without touching validation', () => {
    const store = openEditor();
    const comment = store.getState().addAnnotation('comment', { x: 41, y: 19 });
    const group = store.getState().addAnnotation('group', { x: 0, y: 0 });
    expect(store.getState().workflow?.annotations).toEqual([
      { id: 'comment-1', kind: 'comment', text: '', position: { x: 40, y: 20 }, size: { width: 220, height: 120 } },
      { id: 'group-1', kind: 'group', text: 'Group', position: { x: 0, y: 0 }, size: { width: 480, height: 300 } },
    ]);
    expect(comment).toBe('comment-1');
    expect(store.getState().errors).toEqual([]);

    store.getState().checkpoint();
    store.getState().updateAnnotation(comment, { text: 'Why: the reviewer needs the plan' }, { record: false });
    store.getState().updateAnnotation(group, { size: { width: 600, height: 320 } });
    store.getState().undo();
    expect(store.getState().workflow?.annotations?.[1]?.size).toEqual({ width: 480, height: 300 });
    store.getState().undo();
    expect(store.getState().workflow?.annotations?.[0]?.text).toBe('');
    store.getState().redo();
    expect(store.getState().workflow?.annotations?.[0]?.text).toBe('Why: the reviewer needs the plan');

    store.getState().selectAnnotations([comment]);
    const payload = store.getState().copySelection();
    expect(payload?.annotations?.map((annotation) => annotation.id)).toEqual([comment]);
    store.getState().paste(payload ?? { format: 'warroom/nodes', version: 1, nodes: [], edges: [] });
    expect(store.getState().workflow?.annotations?.map((annotation) => annotation.id)).toEqual([
      'comment-1',
      'group-1',
      'comment-2',
    ]);
    expect(store.getState().selectedAnnotationIds).toEqual(['comment-2']);
    store.getState().removeSelected();
    expect(store.getState().workflow?.annotations?.map((annotation) => annotation.id)).toEqual([
      'comment-1',
      'group-1',
    ]);
  });
});
