import fs from 'node:fs';
import { describeError, MB, type HealthCheckDefinition } from '../health-check';

/** An integrity check reads every page: on a large profile it takes a while, so it runs now and then. */
export const INTEGRITY_INTERVAL_MS = 30 * 60 * 1000;

interface IntegrityResult {
  ok: boolean;
  problems: string[];
  checkedAt: number;
  durationMs: number;
}

/** The database file with its WAL and shared-memory files: what the profile really takes on disk. */
export function databaseBytes(databasePath: string): number {
  let bytes = 0;
  for (const file of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) {
    try {
      bytes += fs.statSync(file).size;
    } catch {
      // No WAL yet (nothing written since the last checkpoint) is normal.
    }
  }
  return bytes;
}

/**
 * The profile database: size on disk, and `PRAGMA quick_check` (structure and page integrity, without the
 * slower index cross-check). The check result is kept for `integrityIntervalMs` unless a refresh asks.
 */
export function createDatabaseCheck(integrityIntervalMs = INTEGRITY_INTERVAL_MS): HealthCheckDefinition {
  let last: IntegrityResult | null = null;
  return {
    id: 'database',
    title: 'Database',
    alertFrom: 'fail',
    run(context) {
      const bytes = databaseBytes(context.databasePath);
      const now = context.now().getTime();
      try {
        if (context.refresh || !last || now - last.checkedAt >= integrityIntervalMs) {
          const started = performance.now();
          const rows = context.db.pragma('quick_check(20)') as Array<{ quick_check: string }>;
          const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
          last = { ok: problems.length === 0, problems, checkedAt: now, durationMs: performance.now() - started };
        }
      } catch (error) {
        return {
          status: 'fail',
          summary: 'The database cannot be read.',
          detail: `${context.databasePath}: ${describeError(error)}`,
          measured: { sizeBytes: bytes },
        };
      }
      const measured = {
        sizeBytes: bytes,
        integrity: last.ok ? 'ok' : 'damaged',
        integrityCheckedAt: new Date(last.checkedAt).toISOString(),
        integrityCheckMs: Math.round(last.durationMs),
      };
      if (!last.ok) {
        return {
          status: 'fail',
          summary: 'The database failed its integrity check.',
          detail: `${context.databasePath}: ${last.problems.join('; ')}. Back the profile up before anything else.`,
          measured,
        };
      }
      return {
        status: 'ok',
        summary: `${(bytes / MB).toFixed(1)} MB, integrity ok.`,
        detail: `${context.databasePath}: ${(bytes / MB).toFixed(1)} MB with its WAL, integrity ok (schema ${context.db.pragma('user_version', { simple: true }) as number})`,
        measured,
      };
    },
  };
}
