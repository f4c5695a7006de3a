import { z } from 'zod';
import { McpToolNameSchema } from './mcp';
import { MemoryKindSchema } from './memory';

/**
 * What each node kind looks like from the outside: its ports and its config schema. Pure data, so the
 * validator and (later) the canvas can use it; the engine pairs each descriptor with its `run()`.
 */
export const PORT_TYPES = ['any', 'text', 'json', 'list', 'boolean', 'number'] as const;
export type PortType = (typeof PORT_TYPES)[number];

export interface PortSpec {
  name: string;
  type: PortType;
  /** A required input must be connected by at least one edge. */
  required?: boolean;
  /** Inputs only: several edges may feed this port (a join, a loop's feedback). */
  multiple?: boolean;
  description?: string;
}

export interface NodeKindDescriptor {
  kind: string;
  title: string;
  description: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  config: z.ZodType<Record<string, unknown>>;
}

/** Every node may receive a wall-clock limit and say what a failure does to the run. */
export const FailurePolicySchema = z.enum(['fail', 'continue', 'route']);
export type FailurePolicy = z.infer<typeof FailurePolicySchema>;

const CommonConfig = {
  timeoutMs: z.int().min(1).max(86_400_000).optional(),
  /** fail: the run fails · continue: downstream of this node is skipped · route: the error goes out on `error`. */
  onError: FailurePolicySchema.default('fail'),
};

/** The port every node has for the `route` failure policy. */
export const ERROR_PORT: PortSpec = { name: 'error', type: 'json', description: 'the error, when onError is route' };

export const BudgetSchema = z.object({
  maxUsd: z.number().min(0).optional(),
  maxTokens: z.int().min(0).optional(),
});
export type Budget = z.infer<typeof BudgetSchema>;

export const BUILT_IN_TOOLS = [
  'read_file',
  'list_files',
  'write_file',
  'run_code',
  'memory_search',
  'memory_store',
  'remember',
  'recall',
] as const;
export type BuiltInToolName = (typeof BUILT_IN_TOOLS)[number];

/** What an agent's `tools` may name: a built-in tool, or an MCP server's tool as `mcp__<server>__<tool>`. */
export const AgentToolNameSchema = z.union([z.enum(BUILT_IN_TOOLS), McpToolNameSchema]);

const ExpressionText = z.string().trim().min(1, 'an expression is required').max(2000);

/**
 * Project paths (relative, exact) the file tools may read or write although they hold secrets by name
 * (`.env`, private keys, credential files; see sensitive-files.ts): the workflow says so explicitly.
 */
const AllowSensitivePaths = z.array(z.string().trim().min(1).max(1000)).max(100).optional();

export const AgentConfigSchema = z.object({
  ...CommonConfig,
  role: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(200).optional(),
  /** The task, with {{variables}} taken from the node's input and the run's inputs. */
  prompt: z.string().trim().min(1, 'an agent needs a prompt').max(100_000),
  system: z.string().max(100_000).optional(),
  format: z.string().max(5000).optional(),
  tools: z.array(AgentToolNameSchema).optional(),
  allowSensitivePaths: AllowSensitivePaths,
  maxTurns: z.int().min(1).max(100).default(8),
  maxTokens: z.int().min(1).max(64_000).default(4096),
  budget: BudgetSchema.optional(),
  /** The loop guard: the same tool with the same arguments this many times stops the agent. */
  maxRepeatedToolCalls: z.int().min(1).max(50).default(3),
  /**
   * Project memory put in front of the agent before its first model call: the most relevant memories of
   * the project's namespace and `global`, as many as fit in `tokenBudget`.
   */
  memory: z
    .object({
      inject: z.boolean().default(true),
      tokenBudget: z.int().min(50).max(50_000).default(1500),
    })
    .prefault({}),
});

export const ConditionConfigSchema = z.union([
  z.object({ ...CommonConfig, expression: ExpressionText }),
  z.object({ ...CommonConfig, question: z.string().trim().min(1).max(10_000), model: z.string().optional() }),
]);

export const InputConfigSchema = z.object({
  ...CommonConfig,
  name: z.string().trim().min(1, 'an input needs a name').max(64),
  default: z.unknown().optional(),
});

export const OutputConfigSchema = z.object({
  ...CommonConfig,
  name: z.string().trim().min(1, 'an output needs a name').max(64),
});

export const TransformConfigSchema = z.object({
  ...CommonConfig,
  template: z.string().min(1, 'a transform needs a template').max(100_000),
  json: z.boolean().default(false),
});

export const ToolConfigSchema = z.object({
  ...CommonConfig,
  tool: z.enum(BUILT_IN_TOOLS),
  args: z.record(z.string(), z.unknown()).default({}),
  allowSensitivePaths: AllowSensitivePaths,
});

export const CodeConfigSchema = z.object({
  ...CommonConfig,
  language: z.enum(['python', 'node']),
  code: z.string().min(1, 'a code node needs code').max(1_000_000),
});

export const LoopConfigSchema = z.object({
  ...CommonConfig,
  maxIterations: z.int().min(1, 'at least 1').max(1000),
  exitWhen: ExpressionText,
});

export const MapConfigSchema = z.object({
  ...CommonConfig,
  item: z.object({ kind: z.string().min(1), config: z.record(z.string(), z.unknown()).default({}) }),
});

export const JoinConfigSchema = z.object({ ...CommonConfig, policy: z.enum(['all', 'any', 'first']).default('all') });

export const ApprovalConfigSchema = z.object({ ...CommonConfig, prompt: z.string().max(5000).default('Approve?') });

export const MemorySearchConfigSchema = z.object({
  ...CommonConfig,
  /** Unset: the run's project (its directory's name) and `global`. */
  namespace: z.string().min(1).max(200).optional(),
  limit: z.int().min(1).max(100).default(5),
});

export const MemoryStoreConfigSchema = z.object({
  ...CommonConfig,
  /** Unset: the run's project (its directory's name). */
  namespace: z.string().min(1).max(200).optional(),
  memoryKind: MemoryKindSchema.default('note'),
});

export const SubworkflowConfigSchema = z.object({
  ...CommonConfig,
  workflowId: z.string().min(1, 'which workflow to run').max(128),
});

/**
 * The `team` node: agents started at run time. A coordinator delegating a task tree to specialists
 * (hierarchical), peers on a message board until they agree (mesh), or voters with a quorum (vote).
 */
export const TEAM_TOPOLOGIES = ['hierarchical', 'mesh', 'vote'] as const;
export type TeamTopology = (typeof TEAM_TOPOLOGIES)[number];

export const TeamMemberSchema = z.object({
  /** A role from the roles library (resources/roles, <profile>/roles). */
  role: z.string().trim().min(1).max(64),
  model: z.string().min(1).max(200).optional(),
  /** Added to the role's system prompt for this member. */
  prompt: z.string().max(20_000).optional(),
  /** Built-in and MCP tools (`mcp__<server>__<tool>`); the role's default tools when absent. */
  tools: z.array(AgentToolNameSchema).optional(),
  budget: BudgetSchema.optional(),
});
export type TeamMember = z.infer<typeof TeamMemberSchema>;

export const TeamConfigSchema = z.object({
  ...CommonConfig,
  topology: z.enum(TEAM_TOPOLOGIES),
  /** The team's goal, with {{variables}} from the node's input and the run's inputs. */
  prompt: z.string().trim().min(1, 'a team needs a goal (prompt)').max(100_000),
  members: z.array(TeamMemberSchema).min(1, 'a team needs at least one member').max(100, 'at most 100 members'),
  /** Hierarchical: the coordinating agent (the `coordinator` role preset unless another is named). */
  coordinator: z
    .object({
      role: z.string().trim().min(1).max(64).default('coordinator'),
      model: z.string().min(1).max(200).optional(),
    })
    .prefault({}),
  /** Hierarchical: members may delegate further, down to `maxDepth` levels below the coordinator. */
  allowMemberDelegation: z.boolean().default(false),
  maxDepth: z.int().min(1).max(6).default(2),
  /** Hierarchical: every agent of the tree, the coordinator included. */
  maxAgents: z.int().min(2).max(200).default(12),
  /** Hierarchical and mesh: a member that fails is reported to the others (`report`) or fails the team. */
  onMemberError: z.enum(['report', 'fail']).default('report'),
  /** Mesh: rounds on the message board before the team stops without agreement. */
  maxRounds: z.int().min(1).max(20).default(3),
  /** Vote: how the answers are combined. */
  aggregation: z.enum(['majority', 'unanimous', 'judge']).default('majority'),
  /** Vote: votes needed (voters that fail or time out abstain); a majority of the voters when absent. */
  quorum: z.int().min(1).max(100).optional(),
  /** Vote: each voter's wall-clock limit; a voter past it abstains. */
  voterTimeoutMs: z.int().min(1).max(3_600_000).optional(),
  /** Vote with `judge`: the agent that weighs the answers. */
  judge: z
    .object({
      role: z.string().trim().min(1).max(64).default('reviewer'),
      model: z.string().min(1).max(200).optional(),
    })
    .prefault({}),
  /** For each member's tool-use loop. */
  maxTurns: z.int().min(1).max(100).default(8),
  maxTokens: z.int().min(1).max(64_000).default(4096),
  /** The whole team's spending (every member counts); members' own limits are in `members[].budget`. */
  budget: BudgetSchema.optional(),
});
export type TeamConfig = z.infer<typeof TeamConfigSchema>;

export const NODE_KIND_DESCRIPTORS: readonly NodeKindDescriptor[] = [
  {
    kind: 'input',
    title: 'Input',
    description: 'A value given when the run starts (`--input name=value`).',
    inputs: [],
    outputs: [{ name: 'value', type: 'any' }],
    config: InputConfigSchema,
  },
  {
    kind: 'output',
    title: 'Output',
    description: 'Names a final result of the run.',
    inputs: [{ name: 'value', type: 'any', required: true, multiple: true }],
    outputs: [],
    config: OutputConfigSchema,
  },
  {
    kind: 'transform',
    title: 'Transform',
    description: 'Fills a text template, or a JSON template when `json` is true, with {{paths}} from the input.',
    inputs: [{ name: 'in', type: 'any', multiple: true }],
    outputs: [{ name: 'out', type: 'any' }],
    config: TransformConfigSchema,
  },
  {
    kind: 'condition',
    title: 'Condition / router',
    description: 'Routes its input to `true` or `false` by an expression, or by asking the model (reason recorded).',
    inputs: [{ name: 'in', type: 'any', required: true, multiple: true }],
    outputs: [
      { name: 'true', type: 'any' },
      { name: 'false', type: 'any' },
    ],
    config: ConditionConfigSchema,
  },
  {
    kind: 'agent',
    title: 'Agent',
    description: 'A model with a role, a prompt and tools, running its tool-use loop.',
    inputs: [{ name: 'in', type: 'any', multiple: true }],
    outputs: [{ name: 'out', type: 'text' }],
    config: AgentConfigSchema,
  },
  {
    kind: 'tool',
    title: 'Tool',
    description: 'Calls one built-in tool with arguments from the config and the input.',
    inputs: [{ name: 'in', type: 'any' }],
    outputs: [{ name: 'out', type: 'any' }],
    config: ToolConfigSchema,
  },
  {
    kind: 'code',
    title: 'Code',
    description: 'Runs Python or JavaScript in the sandbox; the input arrives on stdin as JSON.',
    inputs: [{ name: 'in', type: 'any' }],
    outputs: [{ name: 'out', type: 'json' }],
    config: CodeConfigSchema,
  },
  {
    kind: 'loop',
    title: 'Loop',
    description: 'Sends its value round the body until the exit expression holds or the iterations run out.',
    inputs: [
      { name: 'in', type: 'any', required: true },
      { name: 'next', type: 'any', required: true, multiple: true, description: 'the body’s result' },
    ],
    outputs: [
      { name: 'body', type: 'any' },
      { name: 'done', type: 'any' },
    ],
    config: LoopConfigSchema,
  },
  {
    kind: 'map',
    title: 'Map',
    description: 'Runs one node (kind + config) on every item of a list, concurrently; outputs the list of results.',
    inputs: [{ name: 'list', type: 'list', required: true }],
    outputs: [{ name: 'out', type: 'list' }],
    config: MapConfigSchema,
  },
  {
    kind: 'join',
    title: 'Join',
    description:
      'all: waits for every branch · any: waits, keeps the branches that succeeded · first: the first value.',
    inputs: [{ name: 'in', type: 'any', required: true, multiple: true }],
    outputs: [{ name: 'out', type: 'any' }],
    config: JoinConfigSchema,
  },
  {
    kind: 'approval',
    title: 'Approval',
    description: 'Pauses for a human who approves, rejects or edits the payload.',
    inputs: [{ name: 'in', type: 'any', required: true }],
    outputs: [
      { name: 'approved', type: 'any' },
      { name: 'rejected', type: 'any' },
    ],
    config: ApprovalConfigSchema,
  },
  {
    kind: 'memory-search',
    title: 'Memory search',
    description: 'Searches project memory with the input as the query.',
    inputs: [{ name: 'query', type: 'text', required: true }],
    outputs: [{ name: 'hits', type: 'list' }],
    config: MemorySearchConfigSchema,
  },
  {
    kind: 'memory-store',
    title: 'Memory store',
    description: 'Stores the input text in project memory.',
    inputs: [{ name: 'text', type: 'text', required: true }],
    outputs: [{ name: 'item', type: 'json' }],
    config: MemoryStoreConfigSchema,
  },
  {
    kind: 'subworkflow',
    title: 'Subworkflow',
    description: 'Runs a saved workflow with this node’s input as its inputs; outputs its outputs.',
    inputs: [{ name: 'in', type: 'any' }],
    outputs: [{ name: 'out', type: 'json' }],
    config: SubworkflowConfigSchema,
  },
  {
    kind: 'team',
    title: 'Team',
    description:
      'Agents that organise themselves: a coordinator delegating a task tree, peers until they agree, or voters.',
    inputs: [{ name: 'in', type: 'any', multiple: true }],
    outputs: [
      { name: 'out', type: 'text', description: 'the team’s result' },
      { name: 'detail', type: 'json', description: 'the task tree, the board, or the tally' },
    ],
    config: TeamConfigSchema,
  },
];

export function findNodeKind(kind: string): NodeKindDescriptor | undefined {
  return NODE_KIND_DESCRIPTORS.find((descriptor) => descriptor.kind === kind);
}

/** A value of type `from` may flow into a port of type `to`. */
export function portTypesCompatible(from: PortType, to: PortType): boolean {
  if (from === 'any' || to === 'any' || from === to) return true;
  if (to === 'json') return true;
  return to === 'text' && (from === 'number' || from === 'boolean');
}
