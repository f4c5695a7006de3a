import type { HealthAlert, HealthCheck } from '@shared/health';
import { STATUS_RANK, type HealthCheckDefinition } from './health-check';

export interface AlertEvaluation {
  /** The alerts active after these checks. */
  active: HealthAlert[];
  /** Alerts new in this evaluation, or grown from warning to critical: what deserves a notification. */
  raised: HealthAlert[];
  /** Whether the active list differs from the one before. */
  changed: boolean;
}

/**
 * One alert per condition: a check at or past its alert level raises one, which stays (with its first
 * time) while the condition lasts, and goes when the check recovers. Nothing is raised twice for the same
 * condition, so a monitor ticking every minute does not notify every minute.
 */
export function evaluateAlerts(
  previous: readonly HealthAlert[],
  checks: readonly HealthCheck[],
  definitions: ReadonlyMap<string, Pick<HealthCheckDefinition, 'alertFrom'>>,
  now: Date,
): AlertEvaluation {
  const before = new Map(previous.map((alert) => [alert.id, alert]));
  const active: HealthAlert[] = [];
  const raised: HealthAlert[] = [];
  for (const check of checks) {
    const alertFrom = definitions.get(check.id)?.alertFrom ?? null;
    if (alertFrom === null || STATUS_RANK[check.status] < STATUS_RANK[alertFrom]) continue;
    const severity = check.status === 'fail' ? 'critical' : 'warning';
    const earlier = before.get(check.id);
    const alert: HealthAlert = {
      id: check.id,
      severity,
      title: check.title,
      message: check.summary,
      raisedAt: earlier && earlier.severity === severity ? earlier.raisedAt : now.toISOString(),
    };
    if (!earlier || (earlier.severity === 'warning' && severity === 'critical')) raised.push(alert);
    active.push(alert);
  }
  const changed =
    active.length !== previous.length ||
    active.some((alert) => {
      const earlier = before.get(alert.id);
      return !earlier || earlier.severity !== alert.severity || earlier.message !== alert.message;
    });
  return { active, raised, changed };
}
