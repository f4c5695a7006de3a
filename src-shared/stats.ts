import { oc } from '@orpc/contract';
import { z } from 'zod';
import { RunStatusSchema } from './runs';

/**
 * The Dashboard's figures over a time range, aggregated from the run store (runs, their events) and the
 * memory store. Times are UTC; a bucket is the ISO prefix of its start (`2026-12-02` for a day,
 * `2026-12-02T05` for an hour), so buckets sort as text and need no time zone to read.
 */

export const StatsBucketSchema = z.enum(['hour', 'day']);
export type StatsBucket = z.infer<typeof StatsBucketSchema>;

/** The longest range one query may ask for (a year of hours would be 8,760 points: days are enough there). */
export const MAX_STATS_RANGE_DAYS = 3660;

export const StatsQuerySchema = z
  .object({
    from: z.iso.datetime({ error: 'from must be an ISO date-time' }),
    to: z.iso.datetime({ error: 'to must be an ISO date-time' }),
    bucket: StatsBucketSchema.default('day'),
  })
  .refine((query) => Date.parse(query.from) < Date.parse(query.to), {
    message: 'from must be before to',
    path: ['from'],
  })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= MAX_STATS_RANGE_DAYS * 86_400_000, {
    message: `the range may span at most ${MAX_STATS_RANGE_DAYS} days`,
    path: ['to'],
  })
  .refine((query) => query.bucket === 'day' || Date.parse(query.to) - Date.parse(query.from) <= 31 * 86_400_000, {
    message: 'hourly buckets are for ranges of up to 31 days',
    path: ['bucket'],
  });
export type StatsQuery = z.input<typeof StatsQuerySchema>;

const Usd = z.number().nonnegative();
const Count = z.int().nonnegative();

export const SpendPointSchema = z.object({ bucket: z.string(), costUsd: Usd });

export const WorkflowSpendSchema = z.object({
  workflowId: z.string(),
  workflowName: z.string(),
  costUsd: Usd,
  runs: Count,
});

/** Runs started in a bucket, counted by the status they have now. */
export const RunStatusPointSchema = z.object({
  bucket: z.string(),
  counts: z.partialRecord(RunStatusSchema, Count),
});

export const ModelTokensSchema = z.object({
  model: z.string(),
  calls: Count,
  inputTokens: Count,
  outputTokens: Count,
  cacheReadTokens: Count,
  cacheWriteTokens: Count,
  costUsd: Usd,
});

/**
 * Model requests in a bucket: `calls` answered, `retries` re-sent after an error response (429 rate
 * limited, 529 overloaded, other statuses) or a broken connection (`status` null).
 */
export const ModelErrorPointSchema = z.object({
  bucket: z.string(),
  calls: Count,
  retries: Count,
  rateLimited: Count,
  overloaded: Count,
  otherErrors: Count,
});

export const ModelErrorTotalsSchema = ModelErrorPointSchema.omit({ bucket: true }).extend({
  /** Share of requests sent that got an error (retries / (calls + retries)); 0 with no requests. */
  errorRate: z.number().min(0).max(1),
  /** Retries per answered call. */
  retryRate: z.number().nonnegative(),
});
export type ModelErrorTotals = z.infer<typeof ModelErrorTotalsSchema>;

export const SandboxLatencySchema = z.object({
  executions: Count,
  /** Nearest-rank percentiles of the executions' wall-clock time; null with no executions. */
  p50Ms: z.number().nonnegative().nullable(),
  p95Ms: z.number().nonnegative().nullable(),
});

export const MemorySizeSchema = z.object({
  items: Count,
  chunks: Count,
  /** The stored text, in bytes of UTF-8. */
  textBytes: Count,
});

export const DashboardStatsSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  bucket: StatsBucketSchema,
  totals: z.object({ runs: Count, costUsd: Usd, inputTokens: Count, outputTokens: Count }),
  spend: z.array(SpendPointSchema),
  spendByWorkflow: z.array(WorkflowSpendSchema),
  runsByStatus: z.array(RunStatusPointSchema),
  tokensByModel: z.array(ModelTokensSchema),
  modelErrors: z.array(ModelErrorPointSchema),
  modelErrorTotals: ModelErrorTotalsSchema,
  sandbox: SandboxLatencySchema,
  /** Memory as it is now (not limited to the range). */
  memory: MemorySizeSchema,
});
export type DashboardStats = z.infer<typeof DashboardStatsSchema>;

export const statsContract = {
  /** Everything the Dashboard's charts show for one time range. */
  dashboard: oc.input(StatsQuerySchema).output(DashboardStatsSchema),
};
