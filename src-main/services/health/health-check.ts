import type Database from 'better-sqlite3';
import type { HealthCheck, HealthCheckId, HealthStatus } from '@shared/health';
import type { SandboxStatus } from '@shared/sandbox';
import type { Settings } from '@shared/settings';
import type { RunStatsRepository } from '../../store/run-stats-repository';

/** What a check found; the Sentinel stamps it with the check's id, title and time. */
export type CheckResult = Pick<HealthCheck, 'status' | 'summary' | 'detail' | 'measured'>;

/** Where the model endpoint probe goes, and with which key (sent to that endpoint only). */
export interface ModelEndpoint {
  provider: Settings['llm']['provider'];
  url: string;
  apiKey: string | null;
}

/** Everything checks read, as functions so each check asks for only what it needs, when it runs. */
export interface HealthContext {
  profileDir: string;
  databasePath: string;
  db: Database.Database;
  settings: () => Settings;
  /** The sandbox's status; one evaluation asks Docker once, however many checks read it. */
  sandboxStatus: () => Promise<SandboxStatus>;
  modelEndpoint: () => ModelEndpoint;
  stats: RunStatsRepository;
  now: () => Date;
  /** True when the caller asked for every check to run now (the costly ones included). */
  refresh: boolean;
  fetch: typeof fetch;
}

export interface HealthCheckDefinition {
  id: HealthCheckId;
  title: string;
  /**
   * The status from which this check raises an alert (null: never). A missing image is built on first
   * use and needs no banner; an unreachable Docker engine or a full disk does.
   */
  alertFrom: Exclude<HealthStatus, 'ok'> | null;
  run(context: HealthContext): Promise<CheckResult> | CheckResult;
}

export const STATUS_RANK: Record<HealthStatus, number> = { ok: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: readonly HealthStatus[]): HealthStatus {
  return statuses.reduce<HealthStatus>(
    (worst, status) => (STATUS_RANK[status] > STATUS_RANK[worst] ? status : worst),
    'ok',
  );
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

export const MB = 1024 * 1024;
