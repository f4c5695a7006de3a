import { describe, expect, it } from 'vitest';
import type { HealthAlert, HealthAlerts, HealthStatus } from '@shared/health';
import { evaluateAlerts } from './alerts';
import type { HealthCheckDefinition } from './health-check';
import { Sentinel, type SentinelContext } from './sentinel';

/** Checks whose status the test sets; they read nothing from the context. */
function stubCheck(id: HealthCheckDefinition['id'], alertFrom: HealthCheckDefinition['alertFrom']) {
  const state = { status: 'ok' as HealthStatus, summary: 'fine' };
  const definition: HealthCheckDefinition = {
    id,
    title: id,
    alertFrom,
    run: () => ({ status: state.status, summary: state.summary, detail: '', measured: {} }),
  };
  return { definition, state };
}

function sentinelOf(definitions: HealthCheckDefinition[], clock: { now: Date }, intervalSeconds = 60) {
  // The Sentinel itself reads only the clock, the interval and the sandbox status; the stubs read nothing.
  const context = {
    now: () => clock.now,
    intervalSeconds: () => intervalSeconds,
    sandboxStatus: () => Promise.reject(new Error('not used')),
  } as unknown as SentinelContext;
  return new Sentinel(definitions, context);
}

describe('Sentinel alerts', () => {
  it('raises an alert once per condition, keeps its first time while it lasts, and clears it when resolved', async () => {
    const docker = stubCheck('docker-engine', 'fail');
    const spend = stubCheck('daily-spend', 'warn');
    const clock = { now: new Date('2026-12-02T05:00:00.000Z') };
    const sentinel = sentinelOf([docker.definition, spend.definition], clock);
    const raised: HealthAlert[] = [];
    sentinel.onRaised((alert) => raised.push(alert));

    await sentinel.evaluate();
    expect(sentinel.currentAlerts().alerts).toEqual([]);

    docker.state.status = 'fail';
    docker.state.summary = 'Docker is down';
    await sentinel.evaluate();
    clock.now = new Date('2026-12-02T05:01:00.000Z');
    await sentinel.evaluate();
    expect(raised).toEqual([
      {
        id: 'docker-engine',
        severity: 'critical',
        title: 'docker-engine',
        message: 'Docker is down',
        raisedAt: '2026-12-02T05:00:00.000Z',
      },
    ]);
    expect(sentinel.currentAlerts().alerts).toEqual(raised);

    // A warning below a check's alert level raises nothing; at it, a warning.
    docker.state.status = 'warn';
    spend.state.status = 'warn';
    await sentinel.evaluate();
    expect(sentinel.currentAlerts().alerts.map(({ id, severity }) => ({ id, severity }))).toEqual([
      { id: 'daily-spend', severity: 'warning' },
    ]);
    expect(raised.map((alert) => alert.id)).toEqual(['docker-engine', 'daily-spend']);

    spend.state.status = 'ok';
    await sentinel.evaluate();
    expect(sentinel.currentAlerts().alerts).toEqual([]);
    // The same condition again is a new alert.
    docker.state.status = 'fail';
    await sentinel.evaluate();
    expect(raised.map((alert) => alert.id)).toEqual(['docker-engine', 'daily-spend', 'docker-engine']);
    sentinel.close();
  });

  it('streams the active alerts first, then each change, and ends when the Sentinel closes', async () => {
    const disk = stubCheck('disk-space', 'fail');
    const sentinel = sentinelOf([disk.definition], { now: new Date('2026-12-02T05:00:00.000Z') });
    const received: HealthAlerts[] = [];
    const consumed = (async () => {
      for await (const update of sentinel.alertStream()) {
        received.push(update);
        if (received.length === 1) {
          disk.state.status = 'fail';
          void sentinel.evaluate();
        } else if (received.length === 2) {
          disk.state.status = 'ok';
          void sentinel.evaluate();
        } else sentinel.close();
      }
    })();
    await consumed;
    expect(received.map((update) => update.alerts.map((alert) => alert.id))).toEqual([[], ['disk-space'], []]);
  });

  it('reports a check that throws as a failed check, and the others as usual', async () => {
    const fine = stubCheck('warm-pool', null);
    const broken: HealthCheckDefinition = {
      id: 'database',
      title: 'Database',
      alertFrom: 'fail',
      run: () => {
        throw new Error('disk I/O error');
      },
    };
    const sentinel = sentinelOf([fine.definition, broken], { now: new Date('2026-12-02T05:00:00.000Z') });
    const report = await sentinel.report();
    expect(report.status).toBe('fail');
    expect(report.checks.map(({ id, status, detail }) => ({ id, status, detail }))).toEqual([
      { id: 'warm-pool', status: 'ok', detail: '' },
      { id: 'database', status: 'fail', detail: 'disk I/O error' },
    ]);
    // The latest report is kept until a refresh asks for new figures.
    expect(await sentinel.report()).toBe(report);
    expect(await sentinel.report(true)).not.toBe(report);
    sentinel.close();
  });

  it('checks at start and then every interval while the monitor runs, and stops on close', async () => {
    const check = stubCheck('warm-pool', null);
    let runs = 0;
    const counting: HealthCheckDefinition = {
      ...check.definition,
      run: (context) => {
        runs++;
        return check.definition.run(context);
      },
    };
    const sentinel = sentinelOf([counting], { now: new Date('2026-12-02T05:00:00.000Z') }, 0.05);
    sentinel.start();
    await expect.poll(() => runs, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    sentinel.close();
    const afterClose = runs;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs).toBeLessThanOrEqual(afterClose + 1);
  });
});

describe('evaluateAlerts', () => {
  const definitions = new Map([['disk-space', { alertFrom: 'warn' as const }]]);
  const check = (status: HealthStatus, summary = 'low disk') => ({
    id: 'disk-space' as const,
    title: 'Free disk space',
    status,
    summary,
    detail: '',
    measured: {},
    checkedAt: '2026-12-02T05:00:00.000Z',
  });

  it('raises again when a warning grows critical, and reports a changed message without raising', () => {
    const first = evaluateAlerts([], [check('warn')], definitions, new Date('2026-12-02T05:00:00.000Z'));
    expect(first.raised.map((alert) => alert.severity)).toEqual(['warning']);
    const worse = evaluateAlerts(first.active, [check('fail')], definitions, new Date('2026-12-02T05:05:00.000Z'));
    expect(worse.raised).toEqual([
      expect.objectContaining({ severity: 'critical', raisedAt: '2026-12-02T05:05:00.000Z' }),
    ]);
    const reworded = evaluateAlerts(worse.active, [check('fail', 'lower')], definitions, new Date());
    expect(reworded).toMatchObject({ raised: [], changed: true });
    expect(reworded.active[0]?.raisedAt).toBe('2026-12-02T05:05:00.000Z');
    const same = evaluateAlerts(reworded.active, [check('fail', 'lower')], definitions, new Date());
    expect(same).toMatchObject({ raised: [], changed: false });
  });
});
