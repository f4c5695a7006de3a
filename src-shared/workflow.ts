import { z } from 'zod';
import { formatPath, type InputProblem } from './errors';

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

export const WorkflowSchema = z.object({
  schemaVersion: z.literal(CURRENT_WORKFLOW_SCHEMA_VERSION),
  id: Identifier,
  name: z.string().trim().min(1, 'a workflow needs a name').max(200),
  description: z.string().max(5000).default(''),
  nodes: z.array(WorkflowNodeSchema).max(10_000),
  edges: z.array(WorkflowEdgeSchema).max(50_000),
  viewport: ViewportSchema.default({ x: 0, y: 0, zoom: 1 }),
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
    viewport: { x: 0, y: 0, zoom: 1 },
    createdAt: stamp,
    updatedAt: stamp,
  };
}
