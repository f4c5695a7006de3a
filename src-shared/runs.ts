import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';
import { BudgetSchema } from './node-kinds';

/**
 * Runs and their event stream. Every step of a run appends a seq-numbered event; the UI, the CLI,
 * replay and the tests all read the same stream.
 */
export const RunStatusSchema = z.enum(['running', 'waiting', 'paused', 'completed', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatusSchema>;
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

export const RunModeSchema = z.enum(['normal', 'replay', 'fork']);
export type RunMode = z.infer<typeof RunModeSchema>;

export const UsageSchema = z.object({
  inputTokens: z.int().nonnegative(),
  outputTokens: z.int().nonnegative(),
  costUsd: z.number().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const RunSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowName: z.string(),
  status: RunStatusSchema,
  mode: RunModeSchema,
  sourceRunId: z.string().nullable(),
  projectDir: z.string(),
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  /** Why a paused or waiting run stopped, e.g. the budget that was reached. */
  pauseReason: z.string().nullable(),
  budget: BudgetSchema,
  usage: UsageSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Run = z.infer<typeof RunSchema>;

export const RUN_EVENT_TYPES = [
  'run.started',
  'run.resumed',
  'run.completed',
  'run.failed',
  'run.paused',
  'run.cancelled',
  'node.started',
  'node.completed',
  'node.failed',
  'node.skipped',
  'llm.delta',
  'llm.usage',
  'tool.call',
  'tool.result',
  'condition.decided',
  'approval.requested',
  'approval.decided',
  'budget.exceeded',
  'loop.guard',
  'loop.iteration',
  'memory.injected',
  'memory.synthesized',
  'memory.failed',
] as const;
export const RunEventTypeSchema = z.enum(RUN_EVENT_TYPES);
export type RunEventType = z.infer<typeof RunEventTypeSchema>;

export const RunEventSchema = z.object({
  runId: z.string(),
  seq: z.int().positive(),
  at: z.iso.datetime(),
  type: RunEventTypeSchema,
  nodeId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type RunEvent = z.infer<typeof RunEventSchema>;

export const ApprovalDecisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }),
  z.object({ decision: z.literal('reject'), reason: z.string().max(5000).optional() }),
  z.object({ decision: z.literal('edit'), payload: z.unknown() }),
]);
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

const RunId = z.object({ runId: z.string().min(1).max(128) });

export const StartRunInputSchema = z.object({
  /** A saved workflow's id, or a whole document. */
  workflowId: z.string().min(1).max(128).optional(),
  workflow: z.unknown().optional(),
  projectDir: z.string().min(1).max(4096),
  inputs: z.record(z.string(), z.unknown()).default({}),
  budget: BudgetSchema.optional(),
});
export type StartRunInput = z.infer<typeof StartRunInputSchema>;

export const runsContract = {
  start: oc.input(StartRunInputSchema).output(RunSchema),
  cancel: oc.input(RunId).output(RunSchema),
  approve: oc
    .input(RunId.extend({ nodeId: z.string().min(1).max(128), decision: ApprovalDecisionSchema }))
    .output(RunSchema),
  resume: oc.input(RunId.extend({ budget: BudgetSchema.optional() })).output(RunSchema),
  replay: oc.input(RunId).output(RunSchema),
  fork: oc.input(RunId.extend({ nodeId: z.string().min(1).max(128), input: z.unknown() })).output(RunSchema),
  list: oc
    .input(z.object({ limit: z.int().min(1).max(500).default(50) }).default({ limit: 50 }))
    .output(z.array(RunSchema)),
  get: oc.input(RunId).output(RunSchema),
  /** The run's events after `afterSeq`, then live ones until the run settles or the caller leaves. */
  events: oc
    .input(RunId.extend({ afterSeq: z.int().nonnegative().default(0), follow: z.boolean().default(true) }))
    .output(eventIterator(RunEventSchema)),
};

export const ValidationProblemSchema = z.object({
  severity: z.enum(['error', 'warning']),
  path: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
});

export const WorkflowValidationSchema = z.object({
  ok: z.boolean(),
  errors: z.array(ValidationProblemSchema),
  warnings: z.array(ValidationProblemSchema),
});

/** workflows.validate: every problem of a document at once, for the editor and the CLI. */
export const validateWorkflowContract = oc.input(z.object({ workflow: z.unknown() })).output(WorkflowValidationSchema);
