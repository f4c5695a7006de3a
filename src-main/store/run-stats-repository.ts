import type Database from 'better-sqlite3';
import type { RunStatus } from '@shared/runs';
import type { DashboardStats, ModelErrorTotals, StatsBucket } from '@shared/stats';

/**
 * The Dashboard's aggregates, computed in SQL over the runs table and the events that carry figures
 * (`llm.usage`, `llm.retry`, `sandbox.executed`). Partial indexes on those event types by time (see the
 * migrations) keep a range query from reading the whole event log, which is mostly streamed text.
 */

export interface StatsRange {
  from: string;
  to: string;
  bucket: StatsBucket;
}

/** How many leading characters of an ISO time name its bucket: `2026-12-02` or `2026-12-02T05`. */
const BUCKET_PREFIX: Record<StatsBucket, number> = { day: 10, hour: 13 };
const BUCKET_MS: Record<StatsBucket, number> = { day: 86_400_000, hour: 3_600_000 };

/** Usage answered from the journal (resume, replay, fork) was spent once, by the run that made the call. */
const SPENT = "type = 'llm.usage' AND json_extract(data, '$.reused') IS NULL";

interface BucketRow {
  bucket: string;
}

export class RunStatsRepository {
  private readonly statements;

  /**
   * `settleEvents` waits for events still being written (the run store's writer thread), so a figure
   * includes every event appended before it was asked for.
   */
  constructor(
    db: Database.Database,
    private readonly settleEvents: () => void = () => {},
  ) {
    const usageColumns = `count(*) AS calls,
      coalesce(sum(json_extract(data, '$.inputTokens')), 0) AS inputTokens,
      coalesce(sum(json_extract(data, '$.outputTokens')), 0) AS outputTokens,
      coalesce(sum(json_extract(data, '$.cacheReadTokens')), 0) AS cacheReadTokens,
      coalesce(sum(json_extract(data, '$.cacheWriteTokens')), 0) AS cacheWriteTokens,
      coalesce(sum(json_extract(data, '$.costUsd')), 0) AS costUsd`;
    const inRange = 'at >= @from AND at < @to';
    this.statements = {
      usageTotals: db.prepare<Params, UsageRow>(`SELECT ${usageColumns} FROM run_events WHERE ${SPENT} AND ${inRange}`),
      usageByBucket: db.prepare<Params, UsageRow & BucketRow>(
        `SELECT substr(at, 1, @prefix) AS bucket, ${usageColumns} FROM run_events
         WHERE ${SPENT} AND ${inRange} GROUP BY bucket`,
      ),
      usageByModel: db.prepare<Params, UsageRow & { model: string }>(
        `SELECT json_extract(data, '$.model') AS model, ${usageColumns} FROM run_events
         WHERE ${SPENT} AND ${inRange} GROUP BY model ORDER BY costUsd DESC, model`,
      ),
      spendByWorkflow: db.prepare<Params, { workflowId: string; workflowName: string; costUsd: number; runs: number }>(
        `SELECT runs.workflow_id AS workflowId,
           coalesce(max(json_extract(runs.document, '$.workflowName')), runs.workflow_id) AS workflowName,
           coalesce(sum(json_extract(spent.data, '$.costUsd')), 0) AS costUsd, count(DISTINCT spent.run_id) AS runs
         FROM (SELECT run_id, data FROM run_events WHERE ${SPENT} AND ${inRange}) AS spent
         JOIN runs ON runs.id = spent.run_id
         GROUP BY runs.workflow_id ORDER BY costUsd DESC, workflowId`,
      ),
      retriesByBucket: db.prepare<Params, BucketRow & { status: number | null; retries: number }>(
        `SELECT substr(at, 1, @prefix) AS bucket, json_extract(data, '$.status') AS status, count(*) AS retries
         FROM run_events WHERE type = 'llm.retry' AND ${inRange} GROUP BY bucket, status`,
      ),
      retriesByStatus: db.prepare<Params, { status: number | null; retries: number }>(
        `SELECT json_extract(data, '$.status') AS status, count(*) AS retries
         FROM run_events WHERE type = 'llm.retry' AND ${inRange} GROUP BY status`,
      ),
      runsByBucket: db.prepare<Params, BucketRow & { status: RunStatus; runs: number }>(
        `SELECT substr(created_at, 1, @prefix) AS bucket, status, count(*) AS runs FROM runs
         WHERE created_at >= @from AND created_at < @to GROUP BY bucket, status`,
      ),
      sandboxCount: db.prepare<Params, { executions: number }>(
        `SELECT count(*) AS executions FROM run_events WHERE type = 'sandbox.executed' AND ${inRange}`,
      ),
      sandboxDurationAt: db.prepare<Params & { offset: number }, { durationMs: number }>(
        `SELECT json_extract(data, '$.durationMs') AS durationMs FROM run_events
         WHERE type = 'sandbox.executed' AND ${inRange} ORDER BY durationMs LIMIT 1 OFFSET @offset`,
      ),
      memorySize: db.prepare<[], { items: number; chunks: number; textBytes: number }>(
        `SELECT (SELECT count(*) FROM memory_items) AS items, (SELECT count(*) FROM memory_chunks) AS chunks,
           (SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM memory_items) AS textBytes`,
      ),
    };
  }

  dashboard(range: StatsRange): DashboardStats {
    this.settleEvents();
    const params = paramsOf(range);
    const buckets = bucketsOf(range);
    const totals = this.statements.usageTotals.get(params) ?? EMPTY_USAGE;
    const usage = new Map(this.statements.usageByBucket.all(params).map((row) => [row.bucket, row]));
    const retries = this.statements.retriesByBucket.all(params);
    const runs = this.statements.runsByBucket.all(params);
    const modelErrors = buckets.map((bucket) =>
      modelErrorPoint(
        bucket,
        usage.get(bucket)?.calls ?? 0,
        retries.filter((row) => row.bucket === bucket),
      ),
    );
    return {
      from: params.from,
      to: params.to,
      bucket: range.bucket,
      totals: {
        runs: runs.reduce((total, row) => total + row.runs, 0),
        costUsd: totals.costUsd,
        inputTokens: totals.inputTokens,
        outputTokens: totals.outputTokens,
      },
      spend: buckets.map((bucket) => ({ bucket, costUsd: usage.get(bucket)?.costUsd ?? 0 })),
      spendByWorkflow: this.statements.spendByWorkflow.all(params),
      runsByStatus: buckets.map((bucket) => ({
        bucket,
        counts: Object.fromEntries(runs.filter((row) => row.bucket === bucket).map((row) => [row.status, row.runs])),
      })),
      tokensByModel: this.statements.usageByModel.all(params).map((row) => ({ ...row, model: row.model || 'unknown' })),
      modelErrors,
      modelErrorTotals: modelErrorTotals(modelErrors),
      sandbox: this.sandboxLatency(params),
      memory: this.statements.memorySize.get() ?? { items: 0, chunks: 0, textBytes: 0 },
    };
  }

  /** The model error figures alone, for the Sentinel's error-rate check. */
  modelErrors(from: string, to: string): ModelErrorTotals {
    this.settleEvents();
    const params = paramsOf({ from, to, bucket: 'day' });
    const calls = this.statements.usageTotals.get(params)?.calls ?? 0;
    return modelErrorTotals([modelErrorPoint('', calls, this.statements.retriesByStatus.all(params))]);
  }

  /** Spend alone, for the Sentinel's daily-spend check. */
  spend(from: string, to: string): number {
    this.settleEvents();
    return (this.statements.usageTotals.get(paramsOf({ from, to, bucket: 'day' })) ?? EMPTY_USAGE).costUsd;
  }

  private sandboxLatency(params: Params): DashboardStats['sandbox'] {
    const executions = this.statements.sandboxCount.get(params)?.executions ?? 0;
    if (executions === 0) return { executions, p50Ms: null, p95Ms: null };
    const percentile = (p: number) =>
      this.statements.sandboxDurationAt.get({ ...params, offset: Math.max(0, Math.ceil(p * executions) - 1) })
        ?.durationMs ?? null;
    return { executions, p50Ms: percentile(0.5), p95Ms: percentile(0.95) };
  }
}

/** Stored times are `toISOString()` text: the range's ends are written the same way to compare as text. */
function paramsOf(range: StatsRange): Params {
  return {
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    prefix: BUCKET_PREFIX[range.bucket],
  };
}

interface Params {
  from: string;
  to: string;
  prefix: number;
}

interface UsageRow {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

const EMPTY_USAGE: UsageRow = {
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
};

type ModelErrorPoint = DashboardStats['modelErrors'][number];

/** A bucket's answered calls and its retries counted by cause: 429 rate limited, 529 overloaded, the rest. */
function modelErrorPoint(
  bucket: string,
  calls: number,
  retries: ReadonlyArray<{ status: number | null; retries: number }>,
): ModelErrorPoint {
  const point = { bucket, calls, retries: 0, rateLimited: 0, overloaded: 0, otherErrors: 0 };
  for (const row of retries) {
    point.retries += row.retries;
    if (row.status === 429) point.rateLimited += row.retries;
    else if (row.status === 529) point.overloaded += row.retries;
    else point.otherErrors += row.retries;
  }
  return point;
}

function modelErrorTotals(points: readonly ModelErrorPoint[]): ModelErrorTotals {
  const sum = (pick: (point: ModelErrorPoint) => number) => points.reduce((total, point) => total + pick(point), 0);
  const calls = sum((point) => point.calls);
  const retries = sum((point) => point.retries);
  return {
    calls,
    retries,
    rateLimited: sum((point) => point.rateLimited),
    overloaded: sum((point) => point.overloaded),
    otherErrors: sum((point) => point.otherErrors),
    errorRate: calls + retries === 0 ? 0 : retries / (calls + retries),
    retryRate: calls === 0 ? 0 : retries / calls,
  };
}

/** Every bucket the range touches, in order, so a chart shows quiet days as zero rather than skipping them. */
export function bucketsOf(range: StatsRange): string[] {
  const prefix = BUCKET_PREFIX[range.bucket];
  const step = BUCKET_MS[range.bucket];
  const start = new Date(range.from);
  if (range.bucket === 'day') start.setUTCHours(0, 0, 0, 0);
  else start.setUTCMinutes(0, 0, 0);
  const end = Date.parse(range.to);
  const buckets: string[] = [];
  for (let time = start.getTime(); time < end; time += step)
    buckets.push(new Date(time).toISOString().slice(0, prefix));
  return buckets;
}
