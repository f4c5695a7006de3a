import { z } from 'zod';
import { ApprovalDecisionSchema, RunModeSchema, UsageSchema } from './runs';
import { BudgetSchema, FailurePolicySchema } from './node-kinds';
import { MemoryKindSchema } from './memory';
import { BreakpointListSchema, ContinueActionSchema } from './breakpoints';

/**
 * The typed run event stream: one data schema per event type, the envelope (run, seq, time, node)
 * shared by all. Producers append typed data, and every consumer (the run view, the CLI, memory
 * synthesis, the engine's own reads) narrows on `type` instead of casting. An event this code does not
 * know (written by a newer War Room) or whose data no longer fits its schema arrives as an `unknown`
 * event that keeps the raw type and data, so an old reader shows it instead of crashing.
 */

const Record = z.record(z.string(), z.unknown());
/** Which execution of a node an event belongs to (loops and map items run a node many times). */
const Scope = z.string();
const Text = z.string();
const Count = z.number().nonnegative();

const envelope = {
  runId: z.string(),
  seq: z.int().positive(),
  at: z.iso.datetime(),
  nodeId: z.string().nullable(),
};

function event<const T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.object({ ...envelope, type: z.literal(type), data });
}

const RunUsage = UsageSchema;
const LlmUsageData = {
  inputTokens: Count,
  outputTokens: Count,
  cacheReadTokens: Count,
  cacheWriteTokens: Count,
  costUsd: Count,
  model: z.string(),
};
const InjectedMemorySchema = z.object({
  id: z.string(),
  kind: MemoryKindSchema,
  score: z.number(),
  tokens: Count,
  reasons: z.array(z.string()),
});
/** One memory an agent's prompt was given, and why it ranked. */
export type InjectedMemory = z.infer<typeof InjectedMemorySchema>;

const KNOWN_RUN_EVENT_SCHEMAS = [
  event(
    'run.started',
    z.object({
      mode: RunModeSchema,
      sourceRunId: z.string().nullable(),
      inputs: Record,
      // Where the run pauses (debugging); read back by every later pass of the run.
      breakpoints: BreakpointListSchema.optional(),
    }),
  ),
  event('run.resumed', z.object({ mode: RunModeSchema, sourceRunId: z.string().nullable(), inputs: Record })),
  event('run.completed', z.object({ outputs: Record, usage: RunUsage })),
  event('run.failed', z.object({ error: Text, usage: RunUsage })),
  event('run.paused', z.object({ reason: Text, usage: RunUsage })),
  // A run cancelled while no process executed it has no usage of this pass to report.
  event('run.cancelled', z.object({ usage: RunUsage.optional() })),
  event('node.started', z.object({ scope: Scope, inputs: Record })),
  event('node.completed', z.object({ scope: Scope, outputs: Record, reused: z.literal(true).optional() })),
  event('node.failed', z.object({ scope: Scope, error: Text, policy: FailurePolicySchema })),
  event('node.skipped', z.object({})),
  event('llm.delta', z.object({ text: Text })),
  // A model call about to be sent (or answered from the journal): the start of its span on the timeline.
  event('llm.started', z.object({ scope: Scope, turn: z.int().positive(), model: z.string() })),
  event(
    'llm.usage',
    z.object({
      // Absent for work outside any node (memory synthesis), which names its purpose instead.
      scope: Scope.optional(),
      turn: z.int().positive().optional(),
      purpose: z.string().optional(),
      // Answered from the journal (resume, replay, fork): the usage of the call recorded, not spent again.
      reused: z.literal(true).optional(),
      ...LlmUsageData,
    }),
  ),
  // A model request re-sent after an error response (429 rate limited, 529 overloaded…) or a broken
  // connection (`status` null): the Dashboard's error and retry rates count these.
  event(
    'llm.retry',
    z.object({ scope: Scope.optional(), attempt: z.int().positive(), status: z.int().nullable(), model: z.string() }),
  ),
  event('tool.call', z.object({ scope: Scope, id: z.string().optional(), name: z.string(), input: z.unknown() })),
  event(
    'tool.result',
    z.object({ scope: Scope, id: z.string().optional(), name: z.string(), isError: z.boolean(), output: Text }),
  ),
  event('condition.decided', z.object({ scope: Scope, result: z.boolean(), reason: Text.nullable() })),
  // Debugging: paused before a node, a loop iteration or a tool call (`pending` is its input or arguments);
  // `key` names that pause so its resumption (continue or step, maybe with an edit) is found again.
  event(
    'breakpoint.hit',
    z.object({
      key: z.string(),
      scope: Scope,
      kind: z.enum(['node', 'loop', 'tool']),
      cause: z.enum(['breakpoint', 'step']),
      iteration: z.int().positive().optional(),
      tool: z.object({ id: z.string(), name: z.string() }).optional(),
      pending: z.unknown(),
    }),
  ),
  // `edited` is the value the user put in place of the pending one (absent when left as it was).
  event(
    'breakpoint.resumed',
    z.object({ key: z.string(), scope: Scope, action: ContinueActionSchema, edited: z.unknown().optional() }),
  ),
  event('approval.requested', z.object({ scope: Scope, payload: z.unknown(), prompt: Text })),
  event('approval.decided', z.intersection(z.object({ scope: Scope }), ApprovalDecisionSchema)),
  event(
    'budget.exceeded',
    z.object({
      // Here `scope` says which budget was reached (a node's or the run's), not which execution.
      scope: z.enum(['node', 'run']),
      limit: BudgetSchema,
      spent: z.object({ usd: Count, tokens: Count }),
    }),
  ),
  event('loop.guard', z.object({ scope: Scope, tool: z.string(), input: z.unknown(), count: z.int().positive() })),
  event(
    'loop.iteration',
    z.object({
      scope: Scope,
      iteration: z.int().nonnegative(),
      exit: z.enum(['condition', 'max-iterations']).optional(),
    }),
  ),
  event(
    'memory.injected',
    z.object({
      scope: Scope,
      namespaces: z.array(z.string()),
      tokenBudget: Count,
      tokens: Count,
      memories: z.array(InjectedMemorySchema),
    }),
  ),
  event(
    'memory.synthesized',
    z.object({
      // A team's synthesis: which execution of the team node (the run's own has none).
      scope: Scope.optional(),
      namespace: z.string(),
      memories: z.array(
        z.object({ id: z.string(), kind: MemoryKindSchema, outcome: z.enum(['stored', 'merged', 'skipped']) }),
      ),
    }),
  ),
  event('memory.failed', z.object({ scope: Scope.optional(), step: z.enum(['injection', 'synthesis']), error: Text })),
  // A sandbox execution beginning, then its output as it arrives (coalesced, capped): the live console.
  event('sandbox.started', z.object({ scope: Scope, language: z.enum(['python', 'node']) })),
  event('sandbox.output', z.object({ scope: Scope, stream: z.enum(['stdout', 'stderr']), text: Text })),
  event(
    'sandbox.executed',
    z.object({
      scope: Scope,
      language: z.enum(['python', 'node']),
      exitCode: z.int(),
      termination: z.enum(['exited', 'timeout', 'out-of-memory', 'cancelled', 'output-limit']),
      durationMs: Count,
      /** The last few KiB of each stream: the whole output stays in the journal. */
      stdoutTail: Text,
      stderrTail: Text,
      truncated: z.object({ stdout: Count, stderr: Count }),
      artifacts: z.array(
        z.object({
          path: z.string(),
          sizeBytes: Count,
          mediaType: z.string(),
          /** Where `runs.artifact` finds the copy: a path inside the run's artifacts folder. */
          stored: z.string().optional(),
        }),
      ),
    }),
  ),
  // Teams: the node's scope, then which task (a member's work) or round it is about.
  event(
    'team.task.created',
    z.object({
      scope: Scope,
      taskId: z.string(),
      parentId: z.string().nullable(),
      role: z.string(),
      task: Text,
      depth: z.int().nonnegative(),
    }),
  ),
  event('team.task.started', z.object({ scope: Scope, taskId: z.string() })),
  event('team.task.completed', z.object({ scope: Scope, taskId: z.string(), result: Text, usage: RunUsage })),
  event('team.task.failed', z.object({ scope: Scope, taskId: z.string(), error: Text })),
  event(
    'team.message.posted',
    z.object({ scope: Scope, round: z.int().positive(), from: z.string(), to: z.string(), text: Text }),
  ),
  event('team.member.agreed', z.object({ scope: Scope, round: z.int().positive(), member: z.string(), reason: Text })),
  event('team.round.completed', z.object({ scope: Scope, round: z.int().positive(), agreed: z.boolean() })),
  event('team.vote.cast', z.object({ scope: Scope, voter: z.string(), answer: Text })),
  event('team.vote.abstained', z.object({ scope: Scope, voter: z.string(), reason: Text })),
  event(
    'team.vote.decided',
    z.object({
      scope: Scope,
      method: z.enum(['majority', 'unanimous', 'judge']),
      winner: Text.nullable(),
      tally: z.array(z.object({ answer: Text, votes: Count, voters: z.array(z.string()) })),
      reason: Text.nullable(),
    }),
  ),
  event('team.scratchpad.set', z.object({ scope: Scope, by: z.string(), key: z.string(), value: Text })),
] as const;

export type KnownRunEvent = z.infer<(typeof KNOWN_RUN_EVENT_SCHEMAS)[number]>;
export type RunEventType = KnownRunEvent['type'];
export type RunEventOf<T extends RunEventType> = Extract<KnownRunEvent, { type: T }>;
export type RunEventData<T extends RunEventType> = RunEventOf<T>['data'];

export const RUN_EVENT_TYPES: readonly RunEventType[] = KNOWN_RUN_EVENT_SCHEMAS.map(
  (schema) => schema.shape.type.value,
);

/** An event kept as it was stored: a newer War Room's type, or data that does not fit this version's schema. */
export const UnknownRunEventSchema = z.object({
  ...envelope,
  type: z.literal('unknown'),
  rawType: z.string(),
  data: z.unknown(),
  /** Why it could not be read as a known event. */
  problem: z.string(),
});
export type UnknownRunEvent = z.infer<typeof UnknownRunEventSchema>;

export const RunEventSchema = z.discriminatedUnion('type', [...KNOWN_RUN_EVENT_SCHEMAS, UnknownRunEventSchema]);
export type RunEvent = KnownRunEvent | UnknownRunEvent;

/** An event about to be appended: its type and typed data (the log adds run, seq and time). */
export type NewRunEvent = {
  [T in RunEventType]: { type: T; nodeId: string | null; data: RunEventData<T> };
}[RunEventType];

const DATA_SCHEMA_BY_TYPE: ReadonlyMap<string, z.ZodType> = new Map(
  KNOWN_RUN_EVENT_SCHEMAS.map((schema) => [schema.shape.type.value, schema.shape.data]),
);

/**
 * Reads a stored event: its data is checked against its type's schema; an unknown type or data that
 * does not fit becomes an `unknown` event carrying the raw type and data.
 */
export function decodeRunEvent(stored: {
  runId: string;
  seq: number;
  at: string;
  type: string;
  nodeId: string | null;
  data: unknown;
}): RunEvent {
  // Built field by field rather than spread: a page of thousands of events is decoded per request, and
  // one object shape keeps this monomorphic.
  const { runId, seq, at, type, nodeId, data } = stored;
  const schema = DATA_SCHEMA_BY_TYPE.get(type);
  const unknown = (problem: string): UnknownRunEvent => ({
    runId,
    seq,
    at,
    nodeId,
    type: 'unknown',
    rawType: type,
    data,
    problem,
  });
  if (!schema) return unknown(`unknown event type "${type}"`);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `data.${issue.path.join('.')}` : 'data';
    return unknown(`${where}: ${issue?.message ?? 'does not fit'}`);
  }
  return { runId, seq, at, nodeId, type, data: parsed.data } as RunEvent;
}

/** The events of one type, typed (for folds and tests that look at one kind of event). */
export function eventsOfType<T extends RunEventType>(events: readonly RunEvent[], type: T): Array<RunEventOf<T>> {
  return events.filter((event): event is RunEventOf<T> => event.type === type);
}
