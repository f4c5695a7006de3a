import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';

/**
 * The Sentinel: War Room's health monitor, a service of the app (not an agent). Each check reports a
 * status with a one-line summary, a longer detail and what it measured; failing checks and crossed
 * thresholds become alerts, raised once per condition and cleared when it is resolved.
 */

export const HealthStatusSchema = z.enum(['ok', 'warn', 'fail']);
export type HealthStatus = z.infer<typeof HealthStatusSchema>;

export const HEALTH_CHECK_IDS = [
  'docker-engine',
  'sandbox-images',
  'warm-pool',
  'database',
  'model-endpoint',
  'error-rates',
  'daily-spend',
  'disk-space',
] as const;
export const HealthCheckIdSchema = z.enum(HEALTH_CHECK_IDS);
export type HealthCheckId = z.infer<typeof HealthCheckIdSchema>;

export const HealthCheckSchema = z.object({
  id: HealthCheckIdSchema,
  title: z.string(),
  status: HealthStatusSchema,
  summary: z.string(),
  detail: z.string(),
  /** The figures behind the status, e.g. `{ latencyMs: 42 }`, for the panel and `warroom doctor --json`. */
  measured: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  checkedAt: z.iso.datetime(),
});
export type HealthCheck = z.infer<typeof HealthCheckSchema>;

export const HealthReportSchema = z.object({
  /** The worst status of all checks. */
  status: HealthStatusSchema,
  checkedAt: z.iso.datetime(),
  checks: z.array(HealthCheckSchema),
});
export type HealthReport = z.infer<typeof HealthReportSchema>;

export const HealthAlertSchema = z.object({
  /** The check that raised it: one alert per condition. */
  id: HealthCheckIdSchema,
  severity: z.enum(['warning', 'critical']),
  title: z.string(),
  message: z.string(),
  raisedAt: z.iso.datetime(),
});
export type HealthAlert = z.infer<typeof HealthAlertSchema>;

/** The alerts active now; the stream sends this list first, then again each time it changes. */
export const HealthAlertsSchema = z.object({ alerts: z.array(HealthAlertSchema), at: z.iso.datetime() });
export type HealthAlerts = z.infer<typeof HealthAlertsSchema>;

export const healthContract = {
  /** The latest checks; `refresh` runs them all now (the model probe and the integrity check included). */
  report: oc
    .input(z.object({ refresh: z.boolean().default(false) }).default({ refresh: false }))
    .output(HealthReportSchema),
  alerts: oc.output(eventIterator(HealthAlertsSchema)),
};
