import { describe, expect, it } from 'vitest';
import type { HealthStatus } from '@shared/health';
import type { HealthCheckDefinition } from '../../services/health/health-check';
import { Sentinel, type SentinelContext } from '../../services/health/sentinel';
import { showHealthNotifications, type DesktopNotifier } from './health-notifications';

describe('desktop notifications for health alerts', () => {
  it('shows one notification per raised alert, none while it lasts, and none after unsubscribing', async () => {
    let status: HealthStatus = 'fail';
    const docker: HealthCheckDefinition = {
      id: 'docker-engine',
      title: 'Docker engine',
      alertFrom: 'fail',
      run: () => ({ status, summary: 'The Docker engine is not reachable.', detail: '', measured: {} }),
    };
    // The Sentinel reads only the clock and the interval here; the check reads nothing.
    const context = { now: () => new Date(), intervalSeconds: () => 60 } as unknown as SentinelContext;
    const sentinel = new Sentinel([docker], context);
    const shown: Array<Parameters<DesktopNotifier['show']>[0]> = [];
    const stop = showHealthNotifications(sentinel, { isSupported: () => true, show: (notice) => shown.push(notice) });

    await sentinel.evaluate();
    await sentinel.evaluate();
    expect(shown).toEqual([
      { title: 'War Room: Docker engine', body: 'The Docker engine is not reachable.', urgency: 'critical' },
    ]);
    status = 'ok';
    await sentinel.evaluate();
    stop();
    status = 'fail';
    await sentinel.evaluate();
    expect(shown).toHaveLength(1);
    sentinel.close();
  });

  it('shows nothing where the desktop has no notifications', async () => {
    const check: HealthCheckDefinition = {
      id: 'disk-space',
      title: 'Free disk space',
      alertFrom: 'fail',
      run: () => ({ status: 'fail', summary: 'Only 10 MB free.', detail: '', measured: {} }),
    };
    const context = { now: () => new Date(), intervalSeconds: () => 60 } as unknown as SentinelContext;
    const sentinel = new Sentinel([check], context);
    const shown: unknown[] = [];
    showHealthNotifications(sentinel, { isSupported: () => false, show: (notice) => shown.push(notice) });
    await sentinel.evaluate();
    expect(sentinel.currentAlerts().alerts).toHaveLength(1);
    expect(shown).toEqual([]);
    sentinel.close();
  });
});
