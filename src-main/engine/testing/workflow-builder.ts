import { CURRENT_WORKFLOW_SCHEMA_VERSION, type Workflow } from '@shared/workflow';

/** Test shorthand: nodes as [id, kind, config], edges as "from.port -> to.port". */
export function buildWorkflow(
  nodes: Array<[string, string, Record<string, unknown>?]>,
  edges: string[],
  id = 'test-workflow',
): Workflow {
  return {
    schemaVersion: CURRENT_WORKFLOW_SCHEMA_VERSION,
    id,
    name: id,
    description: '',
    nodes: nodes.map(([nodeId, kind, config], index) => ({
      id: nodeId,
      kind,
      position: { x: index * 200, y: 0 },
      config: config ?? {},
    })),
    edges: edges.map((text, index) => {
      const [, sourceNode = '', sourcePort = '', targetNode = '', targetPort = ''] =
        /^([\w.-]+)\.([\w-]+)\s*->\s*([\w.-]+)\.([\w-]+)$/.exec(text) ?? [];
      if (!targetPort) throw new Error(`bad edge shorthand "${text}"`);
      return {
        id: `e${index}`,
        source: { node: sourceNode, port: sourcePort },
        target: { node: targetNode, port: targetPort },
      };
    }),
    viewport: { x: 0, y: 0, zoom: 1 },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** Input `task` → each step's `out` into the next one's `in` → output `result`. */
export function chainWorkflow(steps: Array<[string, string, Record<string, unknown>?]>, id?: string): Workflow {
  const ids = ['task', ...steps.map(([stepId]) => stepId)];
  const edges = steps.map(([stepId], index) => `${ids[index]}.${index === 0 ? 'value' : 'out'} -> ${stepId}.in`);
  edges.push(`${ids.at(-1)}.${steps.length === 0 ? 'value' : 'out'} -> result.value`);
  return buildWorkflow(
    [['task', 'input', { name: 'task' }], ...steps, ['result', 'output', { name: 'result' }]],
    edges,
    id,
  );
}

/** Input `task` → a loop (`loop`) whose body is one transform (`body`) with `template` → output `result`. */
export function loopWorkflow(loop: { maxIterations: number; exitWhen: string }, template: string): Workflow {
  return buildWorkflow(
    [
      ['task', 'input', { name: 'task' }],
      ['loop', 'loop', loop],
      ['body', 'transform', { template }],
      ['result', 'output', { name: 'result' }],
    ],
    ['task.value -> loop.in', 'loop.body -> body.in', 'body.out -> loop.next', 'loop.done -> result.value'],
  );
}

/** Input `task` → one node (`[id, kind, config]`) → an output per `[port, output name]`, named after it. */
export function branchWorkflow(
  node: [string, string, Record<string, unknown>],
  branches: Array<[port: string, output: string]>,
  id?: string,
): Workflow {
  const [nodeId] = node;
  return buildWorkflow(
    [
      ['task', 'input', { name: 'task' }],
      node,
      ...branches.map(([, output]): [string, string, Record<string, unknown>] => [output, 'output', { name: output }]),
    ],
    [`task.value -> ${nodeId}.in`, ...branches.map(([port, output]) => `${nodeId}.${port} -> ${output}.value`)],
    id,
  );
}

/**
 * Input `note` → memory-store `save` (a decision) → memory-search `find` for the fixed text `query`, up to
 * `limit` hits → output `hits`. The search waits on the store (through a transform that only says the
 * query), so it runs after the note is kept.
 */
export function storeThenSearchWorkflow(query: string, limit: number): Workflow {
  return buildWorkflow(
    [
      ['note', 'input', { name: 'note' }],
      ['save', 'memory-store', { memoryKind: 'decision' }],
      ['query', 'transform', { template: query }],
      ['find', 'memory-search', { limit }],
      ['hits', 'output', { name: 'hits' }],
    ],
    ['note.value -> save.text', 'save.item -> query.in', 'query.out -> find.query', 'find.hits -> hits.value'],
  );
}
