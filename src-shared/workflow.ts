import { z } from 'zod';
import { formatPath, type InputProblem } from './errors';
import { BreakpointListSchema } from './breakpoints';
import { ERROR_PORT, findNodeKind, portTypesCompatible, type NodeKindDescriptor, type PortSpec } from './node-kinds';

/**
 * The workflow file format. Files are plain JSON the user may keep in git, so the format is versioned:
 * a file written by an older War Room is migrated on load, and a file from a newer one is refused with
 * a message instead of being half-understood.
 */
export const CURRENT_WORKFLOW_SCHEMA_VERSION = 1;

const Identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'at most 128 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, _ . : - only');

export const PositionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

export const WorkflowNodeSchema = z.object({
  id: Identifier,
  kind: Identifier,
  label: z.string().max(200).optional(),
  position: PositionSchema,
  config: z.record(z.string(), z.unknown()).default({}),
});

export const PortRefSchema = z.object({ node: Identifier, port: Identifier });

export const WorkflowEdgeSchema = z.object({
  id: Identifier,
  source: PortRefSchema,
  target: PortRefSchema,
});

export const ViewportSchema = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  zoom: z.number().positive().max(10),
});

/**
 * Notes on the canvas that the engine ignores: a comment is a sticky note, a group a labelled frame
 * drawn behind the nodes it surrounds.
 */
export const AnnotationSchema = z.object({
  id: Identifier,
  kind: z.enum(['comment', 'group']),
  text: z.string().max(10_000).default(''),
  position: PositionSchema,
  size: z.object({ width: z.number().min(40).max(20_000), height: z.number().min(30).max(20_000) }),
});
export type Annotation = z.infer<typeof AnnotationSchema>;

export const WorkflowSchema = z.object({
  schemaVersion: z.literal(CURRENT_WORKFLOW_SCHEMA_VERSION),
  id: Identifier,
  name: z.string().trim().min(1, 'a workflow needs a name').max(200),
  description: z.string().max(5000).default(''),
  nodes: z.array(WorkflowNodeSchema).max(10_000),
  edges: z.array(WorkflowEdgeSchema).max(50_000),
  /** Optional, so it needed no version bump: files written before it simply have none. */
  annotations: z.array(AnnotationSchema).max(5000).optional(),
  viewport: ViewportSchema.default({ x: 0, y: 0, zoom: 1 }),
  /** The Builder's own state, which runs ignore unless asked (breakpoints apply to runs started there). */
  editor: z.object({ breakpoints: BreakpointListSchema.optional() }).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export type Workflow = z.infer<typeof WorkflowSchema>;
export type WorkflowNode = z.infer<typeof WorkflowNodeSchema>;
export type WorkflowEdge = z.infer<typeof WorkflowEdgeSchema>;

export const WorkflowSummarySchema = z.object({
  id: Identifier,
  name: z.string(),
  description: z.string(),
  nodeCount: z.int().nonnegative(),
  updatedAt: z.iso.datetime(),
});
export type WorkflowSummary = z.infer<typeof WorkflowSummarySchema>;

/**
 * Each entry upgrades a document from version N to N + 1. Version 1 is the first released format,
 * so the table is empty today; a format change adds an entry here and bumps the current version.
 */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

export type ParseWorkflowResult =
  { ok: true; workflow: Workflow; migratedFrom: number | null } | { ok: false; problems: InputProblem[] };

/** Parses an untrusted document (already JSON-decoded) into a current-version workflow. */
export function parseWorkflowDocument(raw: unknown): ParseWorkflowResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: '(root)', message: 'a workflow must be a JSON object' }] };
  }
  let doc = raw as Record<string, unknown>;
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return {
      ok: false,
      problems: [{ path: 'schemaVersion', message: 'missing or not a positive integer' }],
    };
  }
  if (version > CURRENT_WORKFLOW_SCHEMA_VERSION) {
    return {
      ok: false,
      problems: [
        {
          path: 'schemaVersion',
          message: `version ${version} was written by a newer War Room (this one reads up to ${CURRENT_WORKFLOW_SCHEMA_VERSION}); update War Room to open it`,
        },
      ],
    };
  }
  for (let v = version; v < CURRENT_WORKFLOW_SCHEMA_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate) {
      return { ok: false, problems: [{ path: 'schemaVersion', message: `no migration from version ${v}` }] };
    }
    doc = { ...migrate(doc), schemaVersion: v + 1 };
  }
  const parsed = WorkflowSchema.safeParse(doc);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    };
  }
  const problems = findStructuralProblems(parsed.data);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    workflow: parsed.data,
    migratedFrom: version === CURRENT_WORKFLOW_SCHEMA_VERSION ? null : version,
  };
}

/** Problems the schema alone cannot see: duplicate ids and edges that point at missing nodes. */
function findStructuralProblems(workflow: Workflow): InputProblem[] {
  const problems: InputProblem[] = [];
  const nodeIds = new Set<string>();
  workflow.nodes.forEach((node, index) => {
    if (nodeIds.has(node.id)) problems.push({ path: `nodes[${index}].id`, message: `duplicate node id "${node.id}"` });
    nodeIds.add(node.id);
  });
  const edgeIds = new Set<string>();
  workflow.edges.forEach((edge, index) => {
    if (edgeIds.has(edge.id)) problems.push({ path: `edges[${index}].id`, message: `duplicate edge id "${edge.id}"` });
    edgeIds.add(edge.id);
    for (const end of ['source', 'target'] as const) {
      if (!nodeIds.has(edge[end].node)) {
        problems.push({ path: `edges[${index}].${end}.node`, message: `no node with id "${edge[end].node}"` });
      }
    }
  });
  return problems;
}

/** A fresh, empty workflow document. */
export function createEmptyWorkflow(id: string, name: string, now: Date): Workflow {
  const stamp = now.toISOString();
  return {
    schemaVersion: CURRENT_WORKFLOW_SCHEMA_VERSION,
    id,
    name,
    description: '',
    nodes: [],
    edges: [],
    annotations: [],
    viewport: { x: 0, y: 0, zoom: 1 },
    createdAt: stamp,
    updatedAt: stamp,
  };
}

export interface ValidationProblem extends InputProblem {
  severity: 'error' | 'warning';
  nodeId?: string;
  edgeId?: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: ValidationProblem[];
  warnings: ValidationProblem[];
}

type KindLookup = (kind: string) => NodeKindDescriptor | undefined;

/**
 * Everything wrong with a (parsed) workflow at once, each problem naming its node or edge and field:
 * unknown kinds, config that does not fit the kind, edges that break the edge rules (edgeChecker),
 * unconnected required inputs, cycles that do not pass through a loop node; unreachable nodes are warnings.
 */
export function validate(
  workflow: Workflow,
  lookup: KindLookup = findNodeKind,
  /** Filled with each valid node's parsed config (defaults applied), so a caller that runs it parses once. */
  parsedConfigs?: WeakMap<WorkflowNode, unknown>,
): ValidationResult {
  const problems: ValidationProblem[] = [];
  const error = (path: string, message: string, ids: { nodeId?: string; edgeId?: string }) =>
    problems.push({ severity: 'error', path, message, ...ids });

  workflow.nodes.forEach((node, index) => {
    const descriptor = lookup(node.kind);
    if (!descriptor) {
      error(`nodes[${index}].kind`, `node "${node.id}": unknown node kind "${node.kind}"`, { nodeId: node.id });
      return;
    }
    const config = descriptor.config.safeParse(node.config);
    if (config.success) parsedConfigs?.set(node, config.data);
    if (!config.success) {
      for (const issue of config.error.issues) {
        const field = formatPath(['config', ...issue.path]);
        error(`nodes[${index}].${field}`, `node "${node.id}" ${field}: ${issue.message}`, { nodeId: node.id });
      }
    }
    if (node.kind === 'map' && config.success) {
      const item = (config.data as { item: { kind: string; config: unknown } }).item;
      const itemKind = lookup(item.kind);
      if (!itemKind || ['map', 'loop', 'input', 'output', 'join'].includes(item.kind)) {
        error(`nodes[${index}].config.item.kind`, `node "${node.id}": "${item.kind}" cannot be mapped`, {
          nodeId: node.id,
        });
      } else {
        const itemConfig = itemKind.config.safeParse(item.config);
        for (const issue of itemConfig.error?.issues ?? []) {
          const field = formatPath(['config', 'item', 'config', ...issue.path]);
          error(`nodes[${index}].${field}`, `node "${node.id}" ${field}: ${issue.message}`, { nodeId: node.id });
        }
      }
    }
  });

  const checkEdge = edgeChecker(workflow, lookup);
  workflow.edges.forEach((edge, index) => {
    for (const problem of checkEdge(edge)) {
      const { field, message } = describeEdgeProblem(edge, problem);
      error(field ? `edges[${index}].${field}` : `edges[${index}]`, `edge "${edge.id}": ${message}`, {
        edgeId: edge.id,
      });
    }
  });
  const connectedInputs = new Set(workflow.edges.map((edge) => portKey(edge.target)));

  workflow.nodes.forEach((node, index) => {
    for (const port of lookup(node.kind)?.inputs ?? []) {
      if (port.required && !connectedInputs.has(portKey({ node: node.id, port: port.name }))) {
        error(`nodes[${index}]`, `node "${node.id}": required input "${port.name}" is not connected`, {
          nodeId: node.id,
        });
      }
    }
  });

  problems.push(...findIllegalCycles(workflow), ...findUnreachableNodes(workflow, lookup));
  const errors = problems.filter((problem) => problem.severity === 'error');
  return { ok: errors.length === 0, errors, warnings: problems.filter((problem) => problem.severity === 'warning') };
}

type EdgeEnd = 'source' | 'target';

/**
 * One way an edge breaks the graph's rules. The rule is decided once, here, for the validator and for
 * the Builder's check of a connection being drawn; each words it for its own reader.
 */
export type EdgeProblem =
  | { rule: 'self-edge' }
  | { rule: 'missing-node'; end: EdgeEnd }
  | { rule: 'missing-port'; end: EdgeEnd; node: WorkflowNode; kind: string }
  | { rule: 'incompatible-types'; from: PortSpec; to: PortSpec }
  | { rule: 'duplicate'; of: WorkflowEdge }
  | { rule: 'input-taken'; by: WorkflowEdge; input: PortSpec };

const portKey = (ref: { node: string; port: string }) => `${ref.node}\u0000${ref.port}`;

/**
 * The rules every edge must follow, indexed once per workflow: both ends are nodes, the source port is
 * an output (or the error port) and the target port an input of their kinds, the types fit, a node does
 * not feed itself, two edges never join the same ports, and an input that takes one edge gets one.
 * The returned check works for the workflow's own edges (an edge is measured against those before it)
 * and for an edge not yet added (measured against all of them).
 */
export function edgeChecker(
  workflow: Workflow,
  lookup: KindLookup = findNodeKind,
): (edge: WorkflowEdge) => EdgeProblem[] {
  const nodesById = new Map(workflow.nodes.map((node) => [node.id, node]));
  const firstIntoInput = new Map<string, WorkflowEdge>();
  const firstBetweenPorts = new Map<string, WorkflowEdge>();
  for (const edge of workflow.edges) {
    if (!firstIntoInput.has(portKey(edge.target))) firstIntoInput.set(portKey(edge.target), edge);
    const between = `${portKey(edge.source)}\u0000${portKey(edge.target)}`;
    if (!firstBetweenPorts.has(between)) firstBetweenPorts.set(between, edge);
  }

  return (edge) => {
    const problems: EdgeProblem[] = [];
    if (edge.source.node === edge.target.node) problems.push({ rule: 'self-edge' });
    const ports = (end: EdgeEnd): PortSpec | undefined => {
      const node = nodesById.get(edge[end].node);
      if (!node) {
        problems.push({ rule: 'missing-node', end });
        return undefined;
      }
      const kind = lookup(node.kind);
      // An unknown kind is reported on its node; its ports cannot be judged.
      if (!kind) return undefined;
      const candidates = end === 'source' ? [...kind.outputs, ERROR_PORT] : kind.inputs;
      const port = candidates.find((spec) => spec.name === edge[end].port);
      if (!port) problems.push({ rule: 'missing-port', end, node, kind: kind.kind });
      return port;
    };
    const from = ports('source');
    const to = ports('target');
    if (from && to && !portTypesCompatible(from.type, to.type)) problems.push({ rule: 'incompatible-types', from, to });
    if (!to) return problems;
    const same = firstBetweenPorts.get(`${portKey(edge.source)}\u0000${portKey(edge.target)}`);
    const taken = firstIntoInput.get(portKey(edge.target));
    if (same && same !== edge) problems.push({ rule: 'duplicate', of: same });
    else if (taken && taken !== edge && !to.multiple) problems.push({ rule: 'input-taken', by: taken, input: to });
    return problems;
  };
}

/** The validator's wording: which field of the edge is wrong, and why, naming nodes by id. */
function describeEdgeProblem(edge: WorkflowEdge, problem: EdgeProblem): { field: string | null; message: string } {
  switch (problem.rule) {
    case 'self-edge':
      return { field: null, message: `node "${edge.source.node}" cannot feed itself` };
    case 'missing-node':
      return { field: `${problem.end}.node`, message: `no node "${edge[problem.end].node}"` };
    case 'missing-port': {
      const ref = edge[problem.end];
      const side = problem.end === 'source' ? 'output' : 'input';
      return {
        field: `${problem.end}.port`,
        message: `node "${ref.node}" (${problem.kind}) has no ${side} "${ref.port}"`,
      };
    }
    case 'incompatible-types':
      return {
        field: null,
        message: `${edge.source.node}.${problem.from.name} (${problem.from.type}) cannot feed ${edge.target.node}.${problem.to.name} (${problem.to.type})`,
      };
    case 'duplicate':
      return { field: null, message: `connects the same ports as edge "${problem.of.id}"` };
    case 'input-taken':
      return { field: 'target.port', message: `input "${edge.target.node}.${problem.input.name}" takes one edge` };
  }
}

/** Edges into a loop's `next` port close the legal cycles; without them the graph must be acyclic. */
export function isLoopFeedbackEdge(edge: WorkflowEdge, nodesById: ReadonlyMap<string, WorkflowNode>): boolean {
  return nodesById.get(edge.target.node)?.kind === 'loop' && edge.target.port === 'next';
}

function forwardAdjacency(workflow: Workflow): Map<string, string[]> {
  const nodesById = new Map(workflow.nodes.map((node) => [node.id, node]));
  const adjacency = new Map<string, string[]>(workflow.nodes.map((node) => [node.id, []]));
  for (const edge of workflow.edges) {
    if (isLoopFeedbackEdge(edge, nodesById)) continue;
    adjacency.get(edge.source.node)?.push(edge.target.node);
  }
  return adjacency;
}

function findIllegalCycles(workflow: Workflow): ValidationProblem[] {
  const adjacency = forwardAdjacency(workflow);
  // Kahn's algorithm peels off every node not on or behind a cycle; only the rest needs a closer look.
  const inDegree = new Map(workflow.nodes.map((node) => [node.id, 0]));
  for (const targets of adjacency.values()) {
    for (const target of targets) inDegree.set(target, (inDegree.get(target) ?? 0) + 1);
  }
  const queue = workflow.nodes.filter((node) => inDegree.get(node.id) === 0).map((node) => node.id);
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    inDegree.delete(next);
    for (const target of adjacency.get(next) ?? []) {
      const degree = (inDegree.get(target) ?? 0) - 1;
      inDegree.set(target, degree);
      if (degree === 0) queue.push(target);
    }
  }
  const remaining = workflow.nodes.map((node) => node.id).filter((id) => inDegree.has(id));
  const reachableFrom = (start: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(adjacency.get(start) ?? [])];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (seen.has(node) || !inDegree.has(node)) continue;
      seen.add(node);
      stack.push(...(adjacency.get(node) ?? []));
    }
    return seen;
  };
  const reach = new Map(remaining.map((id) => [id, reachableFrom(id)]));
  const assigned = new Set<string>();
  const problems: ValidationProblem[] = [];
  for (const id of remaining) {
    if (assigned.has(id) || !reach.get(id)?.has(id)) continue;
    const cycle = remaining.filter((other) => reach.get(id)?.has(other) && reach.get(other)?.has(id));
    cycle.forEach((member) => assigned.add(member));
    problems.push({
      severity: 'error',
      path: 'edges',
      nodeId: id,
      message: `nodes ${cycle.map((name) => `"${name}"`).join(', ')} form a cycle that does not go through a loop node's "next" input`,
    });
  }
  return problems;
}

function findUnreachableNodes(workflow: Workflow, lookup: KindLookup): ValidationProblem[] {
  const adjacency = forwardAdjacency(workflow);
  const hasIncoming = new Set<string>();
  for (const targets of adjacency.values()) for (const target of targets) hasIncoming.add(target);
  // A node is a starting point when nothing feeds it and it needs nothing: inputs and other sources.
  const starts = workflow.nodes.filter(
    (node) => !hasIncoming.has(node.id) && !(lookup(node.kind)?.inputs ?? []).some((port) => port.required),
  );
  const reached = new Set(starts.map((node) => node.id));
  const queue = [...reached];
  while (queue.length > 0) {
    for (const next of adjacency.get(queue.pop() ?? '') ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  const problems: ValidationProblem[] = [];
  workflow.nodes.forEach((node, index) => {
    if (!reached.has(node.id)) {
      problems.push({
        severity: 'warning',
        path: `nodes[${index}]`,
        nodeId: node.id,
        message: `node "${node.id}" can never run: nothing leads to it from an input`,
      });
    }
  });
  return problems;
}

/** Parses an untrusted document and validates it: parse problems and graph problems in one list. */
export function validateWorkflowDocument(raw: unknown): ValidationResult {
  const parsed = parseWorkflowDocument(raw);
  if (!parsed.ok) {
    return {
      ok: false,
      errors: parsed.problems.map((problem) => ({ severity: 'error' as const, ...problem })),
      warnings: [],
    };
  }
  return validate(parsed.workflow);
}
