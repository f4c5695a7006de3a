import type { StatsBucket, StatsQuery } from '@shared/stats';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The Dashboard's time-range filter: the last N hours or days, in hourly or daily buckets. */
export const TIME_RANGES = [
  { id: '24h', label: 'Last 24 hours', spanMs: DAY_MS, bucket: 'hour' },
  { id: '7d', label: 'Last 7 days', spanMs: 7 * DAY_MS, bucket: 'day' },
  { id: '30d', label: 'Last 30 days', spanMs: 30 * DAY_MS, bucket: 'day' },
  { id: '90d', label: 'Last 90 days', spanMs: 90 * DAY_MS, bucket: 'day' },
  { id: '365d', label: 'Last 12 months', spanMs: 365 * DAY_MS, bucket: 'day' },
] as const satisfies ReadonlyArray<{ id: string; label: string; spanMs: number; bucket: StatsBucket }>;

export type TimeRangeId = (typeof TIME_RANGES)[number]['id'];

/** The stats query for a range ending now (a second ahead, so what just happened is inside it). */
export function statsQueryFor(id: TimeRangeId, now: Date): StatsQuery {
  const range = TIME_RANGES.find((entry) => entry.id === id) ?? TIME_RANGES[1];
  const to = now.getTime() + 1000;
  return { from: new Date(to - range.spanMs).toISOString(), to: new Date(to).toISOString(), bucket: range.bucket };
}

/** A bucket's axis label: `12-02` for a day, `05:00` for an hour (UTC, as the buckets are). */
export function bucketLabel(bucket: string): string {
  return bucket.length > 10 ? `${bucket.slice(11, 13)}:00` : bucket.slice(5);
}

export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  return value >= 100 ? `$${value.toFixed(0)}` : value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;
}
