import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { CURRENT_WORKFLOW_SCHEMA_VERSION, type Workflow, type WorkflowNode } from '@shared/workflow';
import { elkGraphOf, layoutWorkflow } from './auto-layout';
import { estimatedNodeSize } from './node-size';

const elk = new ELK();

/** Nodes as [id, kind, config?]; edges as "from.port -> to.port". Every node starts at the origin. */
function workflowOf(nodes: Array<[string, string, Record<string, unknown>?]>, edges: string[]): Workflow {
  return {
    schemaVersion: CURRENT_WORKFLOW_SCHEMA_VERSION,
    id: 'layout',
    name: 'layout',
    description: '',
    nodes: nodes.map(([id, kind, config]) => ({ id, kind, position: { x: 0, y: 0 }, config: config ?? {} })),
    edges: edges.map((text, index) => {
      const [source = '', target = ''] = text.split(' -> ');
      const [sourceNode = '', sourcePort = ''] = source.split('.');
      const [targetNode = '', targetPort = ''] = target.split('.');
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

const sizeOf = (node: WorkflowNode) => estimatedNodeSize(node.kind);

async function laidOut(workflow: Workflow) {
  const positions = await layoutWorkflow(workflow, sizeOf, elk);
  return new Map(
    workflow.nodes.map((node) => {
      const position = positions.get(node.id);
      if (!position) throw new Error(`no position for ${node.id}`);
      return [node.id, { ...position, ...sizeOf(node) }];
    }),
  );
}

type Box = { x: number; y: number; width: number; height: number };

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function expectNoOverlaps(boxes: Map<string, Box>) {
  const list = [...boxes.entries()];
  for (const [i, [a, boxA]] of list.entries()) {
    for (const [b, boxB] of list.slice(i + 1)) expect(overlaps(boxA, boxB), `${a} overlaps ${b}`).toBe(false);
  }
}

/** Every edge runs left to right: its target's layer starts after its source's ends. */
function expectLeftToRight(workflow: Workflow, boxes: Map<string, Box>, except: string[] = []) {
  for (const edge of workflow.edges.filter((candidate) => !except.includes(candidate.id))) {
    const source = boxes.get(edge.source.node);
    const target = boxes.get(edge.target.node);
    expect((source?.x ?? 0) + (source?.width ?? 0), edge.id).toBeLessThan(target?.x ?? 0);
  }
}

/** Edges drawn as straight lines between node centres, counted where two of them cross. */
function crossings(workflow: Workflow, boxes: Map<string, Box>): number {
  const segment = (id: string) => {
    const edge = workflow.edges.find((candidate) => candidate.id === id);
    const a = boxes.get(edge?.source.node ?? '');
    const b = boxes.get(edge?.target.node ?? '');
    if (!a || !b) throw new Error(`edge ${id} has no ends`);
    return { x1: a.x + a.width, y1: a.y + a.height / 2, x2: b.x, y2: b.y + b.height / 2 };
  };
  const side = (s: ReturnType<typeof segment>, x: number, y: number) =>
    Math.sign((s.x2 - s.x1) * (y - s.y1) - (s.y2 - s.y1) * (x - s.x1));
  let count = 0;
  const ids = workflow.edges.map((edge) => edge.id);
  for (const [i, first] of ids.entries()) {
    for (const second of ids.slice(i + 1)) {
      const p = segment(first);
      const q = segment(second);
      if (side(p, q.x1, q.y1) * side(p, q.x2, q.y2) < 0 && side(q, p.x1, p.y1) * side(q, p.x2, p.y2) < 0) count++;
    }
  }
  return count;
}

describe('auto-layout with ELK layered', () => {
  it('lays nodes out in columns by depth', async () => {
    const workflow = workflowOf(
      [
        ['input-1', 'input', { name: 'task' }],
        ['transform-1', 'transform'],
        ['output-1', 'output', { name: 'result' }],
      ],
      ['input-1.value -> transform-1.in', 'transform-1.out -> output-1.value'],
    );
    const boxes = await laidOut(workflow);
    expect(workflow.nodes.map((node) => boxes.get(node.id)?.x)).toEqual([0, 300, 600]);
  });

  it('lays out a diamond in three ranks, without overlaps', async () => {
    const workflow = workflowOf(
      [
        ['task', 'input'],
        ['plan', 'agent'],
        ['research', 'agent'],
        ['both', 'join'],
        ['result', 'output'],
      ],
      [
        'task.value -> plan.in',
        'task.value -> research.in',
        'plan.out -> both.in',
        'research.out -> both.in',
        'both.out -> result.value',
      ],
    );
    const boxes = await laidOut(workflow);
    expectNoOverlaps(boxes);
    expectLeftToRight(workflow, boxes);
    expect(boxes.get('plan')?.x).toBe(boxes.get('research')?.x);
  });

  it('untangles what the longest-path layout crossed, keeping ranks left to right', async () => {
    // Listed so that each column, in file order, puts a node opposite the one it is wired to.
    const workflow = workflowOf(
      [
        ['a', 'input'],
        ['b', 'input'],
        ['c', 'input'],
        ['from-c', 'transform'],
        ['from-b', 'transform'],
        ['from-a', 'transform'],
        ['end-a', 'output'],
        ['end-c', 'output'],
        ['end-b', 'output'],
      ],
      [
        'a.value -> from-a.in',
        'b.value -> from-b.in',
        'c.value -> from-c.in',
        'from-a.out -> end-a.value',
        'from-b.out -> end-b.value',
        'from-c.out -> end-c.value',
        'a.value -> from-b.in',
      ],
    );
    const boxes = await laidOut(workflow);
    expectNoOverlaps(boxes);
    expectLeftToRight(workflow, boxes);
    expect(crossings(workflow, boxes)).toBe(0);
  });

  it("keeps a loop's feedback edge out of the layering, so the body stays right of its loop", async () => {
    const workflow = workflowOf(
      [
        ['task', 'input'],
        ['loop', 'loop'],
        ['work', 'transform'],
        ['check', 'transform'],
        ['result', 'output'],
      ],
      [
        'task.value -> loop.in',
        'loop.body -> work.in',
        'work.out -> check.in',
        'check.out -> loop.next',
        'loop.done -> result.value',
      ],
    );
    expect(elkGraphOf(workflow, sizeOf).edges?.map((edge) => edge.id)).toEqual(['e0', 'e1', 'e2', 'e4']);
    const boxes = await laidOut(workflow);
    expectNoOverlaps(boxes);
    expectLeftToRight(workflow, boxes, ['e3']);
  });

  it("keeps each node's ports in the order it draws them", async () => {
    const workflow = workflowOf(
      [
        ['task', 'input'],
        ['gate', 'condition', { expression: 'true' }],
        ['yes', 'output'],
        ['no', 'output'],
      ],
      ['task.value -> gate.in', 'gate.false -> no.value', 'gate.true -> yes.value'],
    );
    const boxes = await laidOut(workflow);
    expect(boxes.get('yes')?.y ?? 0).toBeLessThan(boxes.get('no')?.y ?? 0);
  });
});
