import { afterEach, describe, expect, it } from 'vitest';
import { HEALTH_CHECK_IDS } from '@shared/health';
import { throwawayApps } from '../../testing/test-app';

describe('health API', () => {
  const apps = throwawayApps('warroom-health-api-', (app) => app.sandbox.settled());
  afterEach(() => apps.closeAll());

  it('reports every check, and streams the alert of an unreachable Docker engine', async () => {
    const { client } = apps.open({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    const controller = new AbortController();
    const stream = await client.health.alerts(undefined, { signal: controller.signal });
    const first = await stream.next();
    expect(first.value).toMatchObject({ alerts: [] });

    const report = await client.health.report({ refresh: true });
    expect(report.checks.map((check) => check.id)).toEqual([...HEALTH_CHECK_IDS]);
    expect(report.status).toBe('fail');
    const next = await stream.next();
    expect(next.value).toMatchObject({
      alerts: [{ id: 'docker-engine', severity: 'critical', title: 'Docker engine' }],
    });
    controller.abort();
  });

  it('keeps the latest report until a refresh is asked for', async () => {
    const { client } = apps.open({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    const first = await client.health.report();
    expect(await client.health.report()).toEqual(first);
    const refreshed = await client.health.report({ refresh: true });
    expect(Date.parse(refreshed.checkedAt)).toBeGreaterThanOrEqual(Date.parse(first.checkedAt));
    expect(refreshed.checks.find((check) => check.id === 'database')?.status).toBe('ok');
  });
});
