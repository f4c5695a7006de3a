import { describe, expect, it } from 'vitest';
import { startFakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import { makeTempProfile } from '../../testing/temp-profile';
import { formatDoctorTable, runDoctor } from './doctor';

describe('warroom doctor', () => {
  it('fails on an unreachable Docker engine and an old Node, warns on a missing key, and says why', async () => {
    const checks = await runDoctor({
      profileDir: makeTempProfile(),
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock', CHROMIUM_PATH: '/nonexistent/chromium' },
      nodeVersion: '18.20.0',
    });
    const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
    expect(byName['Node.js']).toMatchObject({ status: 'fail', detail: expect.stringContaining('too old') });
    expect(byName['Database']?.status).toBe('ok');
    expect(byName['Docker engine']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('unix:///nonexistent/docker.sock'),
    });
    expect(byName['Docker engine']?.detail).toMatch(/set DOCKER_HOST/);
    expect(byName['Anthropic API key']?.status).toBe('warn');
    expect(byName['Chromium (e2e tests)']?.status).toBe('warn');

    const table = formatDoctorTable(checks);
    expect(table.split('\n')[0]).toMatch(/^CHECK\s+STATUS\s+DETAIL$/);
    expect(table).toMatch(/Docker engine\s+FAIL/);
  });

  it("runs the Sentinel's checks, the ones the health panel shows, with their figures", async () => {
    const checks = await runDoctor({ profileDir: makeTempProfile(), env: {} });
    expect(checks.map((check) => check.name)).toEqual([
      'Node.js',
      'Docker engine',
      'Sandbox images',
      'Warm pool',
      'Database',
      'Model endpoint',
      'Model error rate',
      'Daily spend',
      'Free disk space',
      'Anthropic API key',
      'Chromium (e2e tests)',
    ]);
    const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
    // The machine's own Docker engine is running here.
    expect(byName['Docker engine']).toMatchObject({ status: 'ok', measured: { reachable: true } });
    expect(byName['Database']).toMatchObject({ status: 'ok', measured: { integrity: 'ok' } });
    expect(byName['Free disk space']?.status).toBe('ok');
    expect(byName['Daily spend']).toMatchObject({ status: 'ok', measured: { spentUsd: 0 } });
    // No key, so the endpoint is not probed: a warning, not a failure.
    expect(byName['Model endpoint']?.status).toBe('warn');
  });

  it('passes the key check when ANTHROPIC_API_KEY is set, without printing the key', async () => {
    const fake = await startFakeAnthropicServer();
    try {
      const checks = await runDoctor({
        profileDir: makeTempProfile(),
        env: {
          ANTHROPIC_API_KEY: 'sk-ant-do-not-print',
          ANTHROPIC_BASE_URL: fake.url,
          DOCKER_HOST: 'unix:///nonexistent/docker.sock',
        },
      });
      const key = checks.find((check) => check.name === 'Anthropic API key');
      expect(key).toMatchObject({ status: 'ok', detail: 'from ANTHROPIC_API_KEY' });
      expect(formatDoctorTable(checks)).not.toContain('sk-ant-do-not-print');
      expect(JSON.stringify(checks)).not.toContain('sk-ant-do-not-print');
      // The key went to the configured endpoint's free model listing, and only there.
      expect(checks.find((check) => check.name === 'Model endpoint')).toMatchObject({ status: 'ok' });
      expect(fake.modelListings.map((headers) => headers['x-api-key'])).toEqual(['sk-ant-do-not-print']);
    } finally {
      await fake.close();
    }
  });
});
