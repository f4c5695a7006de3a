import type { Budget, NodeKindDescriptor } from '@shared/node-kinds';
import type { ApprovalDecision } from '@shared/runs';
import type { RunEventData, RunEventType } from '@shared/run-events';
import type { LlmProvider, LlmUsage } from '../llm/port';
import type { McpToolSource } from '../mcp/port';
import type { MemoryStore } from '../memory/port';
import type { SandboxRunner } from '../sandbox/port';
import type { Redactor } from '../privacy/port';
import type { AuditRecorder } from '../store/port';

/** What a node produced, by output port. A port left out carries nothing: what it feeds is skipped. */
export type NodeOutputs = Record<string, unknown>;

export interface NodeInputs {
  /** The value on each input port (the last one to arrive when several edges feed it). */
  values: Record<string, unknown>;
  /** Every value that arrived on each port, in edge order (joins and multi-edge ports). */
  all: Record<string, unknown[]>;
}

export interface RolePreset {
  name: string;
  description: string;
  system: string;
  tools: string[];
}

/** Events a node reports about its own work (the engine reports its lifecycle, approvals and memory). */
export type NodeEventType = Extract<
  RunEventType,
  | 'llm.started'
  | 'llm.usage'
  | 'llm.retry'
  | 'tool.call'
  | 'tool.result'
  | 'condition.decided'
  | 'loop.guard'
  | 'loop.iteration'
  | 'sandbox.started'
  | 'sandbox.output'
  | 'sandbox.executed'
  | `team.${string}`
>;
type Unscoped<D> = D extends unknown ? Omit<D, 'scope'> : never;

/** A point inside a node where a run may pause: the value going round a loop, or a tool call's arguments. */
export type PauseRequest =
  | { kind: 'loop'; iteration: number; pending: unknown }
  | { kind: 'tool'; tool: { id: string; name: string }; pending: Record<string, unknown> };

/**
 * The ports and run-wide settings a pass resolves once when it starts and hands to every node as they
 * are; declared once here for the node's side and for whatever builds the context.
 */
export interface NodeServices {
  llm: LlmProvider;
  defaultModel: string;
  roles: ReadonlyMap<string, RolePreset>;
  sandbox: SandboxRunner | null;
  memory: MemoryStore | null;
  /** Tools of the configured MCP servers; null where no MCP servers are wired (tests, hosts without them). */
  mcp: McpToolSource | null;
  /** The audit log; null where none is wired (engine tests without one). Record only work really done. */
  audit: AuditRecorder | null;
  /** The one redactor (privacy/port.ts); events get its known-values pass on their own. */
  redactor: Redactor;
  /**
   * Whether tool results and file contents are redacted before a model sees them (`privacy.redactToModel`,
   * on by default). Off, the model gets them as they are, and what is recorded is still redacted.
   */
  redactToModel: boolean;
}

/** Everything a node's run() may use. Nodes reach the world only through this. */
export interface NodeContext<Config = Record<string, unknown>> extends NodeServices {
  runId: string;
  nodeId: string;
  /** Identifies this execution of the node (loops run a node many times; map items are sub-scopes). */
  scope: string;
  /** 1 for the node's first execution in this run, 2 for the next (loops)… */
  activation: number;
  /** Already parsed by the kind's config schema, so its defaults are applied. */
  config: Config;
  runInputs: Record<string, unknown>;
  projectDir: string;
  signal: AbortSignal;
  /** Appends an event for this node; the engine adds the execution's `scope`. */
  emit<T extends NodeEventType>(type: T, data: Unscoped<RunEventData<T>>): void;
  emitTextDelta(text: string): void;
  /**
   * Runs `perform` once per run for this request: a journaled result (from this run, or the run this
   * one replays or forks) is returned instead of performing it again.
   */
  journaled<T>(kind: 'llm' | 'tool', request: unknown, perform: () => Promise<T>): Promise<T>;
  /**
   * The project memories most relevant to `query` (this project's namespace and `global`), as prompt text
   * within `tokenBudget` tokens; '' when there are none or no memory store. Recorded in a `memory.injected`
   * event and journaled, so a resumed or replayed run injects exactly what the original did.
   */
  recallMemories(query: string, tokenBudget: number): Promise<string>;
  /** Counts model usage against the node's and the run's budgets; throws BudgetExceededError past them. */
  chargeUsage(usage: LlmUsage, costUsd: number, nodeBudget?: { maxUsd?: number; maxTokens?: number }): void;
  /**
   * Pauses until a human decides (or returns the decision already recorded for this scope). A node asking
   * more than once per execution (an agent's `ask` tools) gives each question its own `key`.
   */
  awaitApproval(payload: unknown, prompt: string, key?: string): Promise<ApprovalDecision>;
  /**
   * Debugging: pauses before a loop iteration or a tool call when a breakpoint (or a step) says so, and
   * resolves with the value to go on with — `pending`, or what the user edited it into.
   */
  pauseBefore(point: PauseRequest): Promise<unknown>;
  /** The agent's scratchpad (remember/recall), kept for the whole run. */
  scratchpad: Map<string, string>;
  /** Runs one node of another kind inside this one (map items), under a sub-scope. */
  runChild(kind: string, config: Record<string, unknown>, input: unknown, childScope: string): Promise<NodeOutputs>;
  /** Runs a saved workflow to completion and returns its outputs. */
  runSubworkflow(workflowId: string, inputs: Record<string, unknown>): Promise<Record<string, unknown>>;
  maxConcurrency: number;
  /**
   * A context for one agent this node starts at run time (a team member): events, journal entries and
   * spending of its own (node id `<this node>/<memberId>`, scope `<this scope>/<memberId>`), its model
   * usage also counted against `enclosingBudget` (the team's) and the run's.
   */
  member(memberId: string, enclosingBudget?: Budget): NodeContext;
}

export interface NodeImplementation<Config = Record<string, unknown>> {
  descriptor: NodeKindDescriptor;
  /** A property, not a method, so its parameter is checked strictly: only defineNode erases a config's type. */
  run: (context: NodeContext<Config>, inputs: NodeInputs) => Promise<NodeOutputs>;
}
