import fs from 'node:fs';
import { describeError, MB, type HealthCheckDefinition } from '../health-check';

const HOUR_MS = 3_600_000;
/** Below this many model requests in the window, a rate says more about chance than about the endpoint. */
export const MIN_REQUESTS_FOR_ERROR_RATE = 20;

const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

/** Model requests of the last hour that got an error response (retried), against the threshold. */
export const errorRatesCheck: HealthCheckDefinition = {
  id: 'error-rates',
  title: 'Model error rate',
  alertFrom: 'warn',
  run(context) {
    const now = context.now();
    const totals = context.stats.modelErrors(new Date(now.getTime() - HOUR_MS).toISOString(), now.toISOString());
    const threshold = context.settings().health.errorRate;
    const requests = totals.calls + totals.retries;
    const measured = {
      requests,
      retries: totals.retries,
      rateLimited: totals.rateLimited,
      overloaded: totals.overloaded,
      errorRate: totals.errorRate,
      threshold,
    };
    const breakdown = `${totals.rateLimited} rate limited (429), ${totals.overloaded} overloaded (529), ${totals.otherErrors} other`;
    if (requests >= MIN_REQUESTS_FOR_ERROR_RATE && totals.errorRate > threshold) {
      return {
        status: 'warn',
        summary: `${percent(totals.errorRate)} of model requests in the last hour failed (threshold ${percent(threshold)}).`,
        detail: `${totals.retries} of ${requests} requests were retried: ${breakdown}.`,
        measured,
      };
    }
    return {
      status: 'ok',
      summary:
        requests === 0
          ? 'No model requests in the last hour.'
          : `${percent(totals.errorRate)} of ${requests} model requests in the last hour were retried.`,
      detail: `${totals.retries} of ${requests} requests in the last hour retried (${breakdown}); alerts above ${percent(threshold)} from ${MIN_REQUESTS_FOR_ERROR_RATE} requests.`,
      measured,
    };
  },
};

/** Model spend of the last 24 hours against the daily threshold. */
export const dailySpendCheck: HealthCheckDefinition = {
  id: 'daily-spend',
  title: 'Daily spend',
  alertFrom: 'warn',
  run(context) {
    const now = context.now();
    const spent = context.stats.spend(new Date(now.getTime() - 24 * HOUR_MS).toISOString(), now.toISOString());
    const threshold = context.settings().health.dailySpendUsd;
    const measured = { spentUsd: spent, thresholdUsd: threshold };
    const figure = `$${spent.toFixed(2)} in the last 24 hours`;
    return spent > threshold
      ? {
          status: 'warn',
          summary: `${figure}, over the $${threshold.toFixed(2)} threshold.`,
          detail: `${figure}. Budgets per run and per node cap what one run spends; the threshold is in Settings.`,
          measured,
        }
      : { status: 'ok', summary: `${figure}.`, detail: `${figure}; alerts above $${threshold.toFixed(2)}.`, measured };
  },
};

/** Free space on the disk holding the profile (database, workflows, sandbox artifacts). */
export const diskSpaceCheck: HealthCheckDefinition = {
  id: 'disk-space',
  title: 'Free disk space',
  alertFrom: 'fail',
  run(context) {
    const minimumMb = context.settings().health.minFreeDiskMb;
    let freeMb: number;
    try {
      const stats = fs.statfsSync(context.profileDir);
      freeMb = Math.floor((stats.bavail * stats.bsize) / MB);
    } catch (error) {
      return {
        status: 'warn',
        summary: 'Free space could not be measured.',
        detail: `${context.profileDir}: ${describeError(error)}`,
        measured: { freeMb: null, minimumMb },
      };
    }
    const measured = { freeMb, minimumMb };
    return freeMb < minimumMb
      ? {
          status: 'fail',
          summary: `Only ${freeMb} MB free on the profile's disk (minimum ${minimumMb} MB).`,
          detail: `${context.profileDir}: the database and sandbox artifacts need room to write.`,
          measured,
        }
      : {
          status: 'ok',
          summary: `${freeMb} MB free.`,
          detail: `${freeMb} MB free for ${context.profileDir} (alerts below ${minimumMb} MB)`,
          measured,
        };
  },
};
