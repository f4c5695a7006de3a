import { describe, expect, it } from 'vitest';
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

  it('passes the key check when ANTHROPIC_API_KEY is set, without printing the key', async () => {
    const checks = await runDoctor({
      profileDir: makeTempProfile(),
      env: { ANTHROPIC_API_KEY: 'sk-ant-do-not-print', DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    const key = checks.find((check) => check.name === 'Anthropic API key');
    expect(key).toMatchObject({ status: 'ok', detail: 'from ANTHROPIC_API_KEY' });
    expect(formatDoctorTable(checks)).not.toContain('sk-ant-do-not-print');
  });
});
