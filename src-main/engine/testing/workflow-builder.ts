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
