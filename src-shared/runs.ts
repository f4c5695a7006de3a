import { z } from 'zod';
import { BudgetSchema } from './node-kinds';
import { BreakpointListSchema } from './breakpoints';

/** Runs: one execution of a workflow each, with its status, usage and budget. Its events: run-events.ts. */
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

export const ApprovalDecisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }),
  z.object({ decision: z.literal('reject'), reason: z.string().max(5000).optional() }),
  z.object({ decision: z.literal('edit'), payload: z.unknown() }),
]);
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

export const StartRunInputSchema = z.object({
  /** A saved workflow's id, or a whole document. */
  workflowId: z.string().min(1).max(128).optional(),
  workflow: z.unknown().optional(),
  projectDir: z.string().min(1).max(4096),
  inputs: z.record(z.string(), z.unknown()).default({}),
  budget: BudgetSchema.optional(),
  /** Pause the run at these (the Builder passes the workflow's saved breakpoints). */
  breakpoints: BreakpointListSchema.optional(),
});
export type StartRunInput = z.infer<typeof StartRunInputSchema>;
