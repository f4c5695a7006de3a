import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthCheck } from '@shared/health';
import { startFakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import { makeTempProfile } from '../../testing/temp-profile';
import { createWarRoom, type WarRoom } from '../../app';
import { chainWorkflow } from '../../engine/testing/workflow-builder';

/**
 * Each Sentinel check against real parts: the machine's Docker engine (and a dead socket), the profile's
 * SQLite file, the fake Anthropic server (and a closed port, and an endpoint refusing the key), and
 * thresholds over runs seeded in the real run store.
 */
const opened: Array<{ app: WarRoom; profileDir: string }> = [];
const servers: Array<{ close(): unknown }> = [];

afterEach(async () => {
  for (const { app, profileDir } of opened.splice(0)) {
    await app.sandbox.settled();
    app.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
  for (const server of servers.splice(0)) await server.close();
});

function openApp(env: NodeJS.ProcessEnv): WarRoom {
  const profileDir = makeTempProfile();
  const app = createWarRoom({ profileDir, host: 'browser', version: 'test', env, memoryEmbedder: null });
  opened.push({ app, profileDir });
  return app;
}

function checkOf(checks: readonly HealthCheck[], id: HealthCheck['id']): HealthCheck {
  const check = checks.find((entry) => entry.id === id);
  if (!check) throw new Error(`no ${id} check`);
  return check;
}

/** A port nothing listens on: listen, note the port, close. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('Sentinel checks', () => {
  it('sees the real Docker engine, its images and pool, the database and the disk as healthy', async () => {
    const app = openApp({});
    const { checks } = await app.sentinel.report(true);
    const docker = checkOf(checks, 'docker-engine');
    expect(docker.status).toBe('ok');
    expect(docker.measured.reachable).toBe(true);
    expect(String(docker.measured.version)).toMatch(/^\d+\.\d+/);
    expect(checkOf(checks, 'sandbox-images').measured).toHaveProperty('python');
    expect(checkOf(checks, 'warm-pool')).toMatchObject({ status: 'ok', measured: { poolSize: 1 } });
    const database = checkOf(checks, 'database');
    expect(database).toMatchObject({ status: 'ok', measured: { integrity: 'ok' } });
    expect(database.measured.sizeBytes).toBeGreaterThan(4096);
    const disk = checkOf(checks, 'disk-space');
    expect(disk.status).toBe('ok');
    expect(disk.measured.freeMb).toBeGreaterThan(0);
  });

  it('fails the Docker check on a dead socket, saying where it looked and what to do', async () => {
    const app = openApp({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    const { checks, status } = await app.sentinel.report(true);
    expect(status).toBe('fail');
    const docker = checkOf(checks, 'docker-engine');
    expect(docker).toMatchObject({ status: 'fail', measured: { reachable: false } });
    expect(docker.detail).toContain('unix:///nonexistent/docker.sock');
    expect(docker.detail).toMatch(/set DOCKER_HOST/);
    expect(checkOf(checks, 'sandbox-images').status).toBe('warn');
    expect(app.sentinel.currentAlerts().alerts).toEqual([
      expect.objectContaining({ id: 'docker-engine', severity: 'critical', title: 'Docker engine' }),
    ]);
  });

  it('probes the model endpoint with a free model listing, sends the key there only, and reports latency', async () => {
    const fake = await startFakeAnthropicServer();
    servers.push(fake);
    const app = openApp({ ANTHROPIC_API_KEY: 'sk-ant-probe-key' });
    app.settings.update({ llm: { anthropicBaseUrl: fake.url } });
    const { checks } = await app.sentinel.report(true);
    const probe = checkOf(checks, 'model-endpoint');
    expect(probe).toMatchObject({ status: 'ok', measured: { provider: 'anthropic', url: fake.url, httpStatus: 200 } });
    expect(probe.measured.latencyMs).toBeGreaterThanOrEqual(0);
    expect(fake.modelListings).toHaveLength(1);
    expect(fake.modelListings[0]?.['x-api-key']).toBe('sk-ant-probe-key');
    // Listing models costs nothing: no Messages request was made.
    expect(fake.requests).toHaveLength(0);
    expect(JSON.stringify(checks)).not.toContain('sk-ant-probe-key');
  });

  it('fails the model probe on an unreachable endpoint and on a refused key; without a key it does not probe', async () => {
    const app = openApp({ ANTHROPIC_API_KEY: 'sk-ant-probe-key' });
    app.settings.update({ llm: { anthropicBaseUrl: await closedPortUrl() } });
    const unreachable = checkOf((await app.sentinel.report(true)).checks, 'model-endpoint');
    expect(unreachable).toMatchObject({ status: 'fail', measured: { latencyMs: null } });
    expect(unreachable.detail).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/v1\/models\?limit=1 failed/);

    const refusing = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}');
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => refusing.close(() => resolve())) });
    app.settings.update({ llm: { anthropicBaseUrl: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}` } });
    const refused = checkOf((await app.sentinel.report(true)).checks, 'model-endpoint');
    expect(refused).toMatchObject({ status: 'fail', measured: { httpStatus: 401 } });
    expect(refused.summary).toMatch(/refused the API key/);

    const keyless = openApp({});
    const notProbed = checkOf((await keyless.sentinel.report(true)).checks, 'model-endpoint');
    expect(notProbed).toMatchObject({ status: 'warn', measured: { httpStatus: null } });
    expect(keyless.sentinel.currentAlerts().alerts.map((alert) => alert.id)).not.toContain('model-endpoint');
  });

  it('warns on spend over the daily threshold and fails on too little free disk, as alerts', async () => {
    const fake = await startFakeAnthropicServer(() => ({ text: 'done', inputTokens: 1_000_000, outputTokens: 0 }));
    servers.push(fake);
    const app = openApp({ ANTHROPIC_API_KEY: 'sk-ant-test' });
    app.settings.update({
      llm: { anthropicBaseUrl: fake.url, model: 'claude-sonnet-4-6' },
      memory: { synthesizeAfterRuns: false },
      health: { dailySpendUsd: 1, minFreeDiskMb: 10_000_000 },
    });
    const workflow = chainWorkflow([['agent', 'agent', { prompt: 'Do {{in}}' }]], 'spender');
    const run = app.runs.start({ workflow, projectDir: app.info().profileDir, inputs: { task: 'spend' } });
    expect((await app.runs.wait(run.id)).status).toBe('completed');

    const { checks } = await app.sentinel.report(true);
    const spend = checkOf(checks, 'daily-spend');
    // A million input tokens of Sonnet at $3 per million.
    expect(spend).toMatchObject({ status: 'warn', measured: { spentUsd: 3, thresholdUsd: 1 } });
    expect(checkOf(checks, 'disk-space')).toMatchObject({ status: 'fail', measured: { minimumMb: 10_000_000 } });
    expect(checkOf(checks, 'error-rates')).toMatchObject({ status: 'ok', measured: { requests: 1, retries: 0 } });
    const alerts = app.sentinel.currentAlerts().alerts;
    expect(alerts.find((alert) => alert.id === 'daily-spend')?.severity).toBe('warning');
    expect(alerts.find((alert) => alert.id === 'disk-space')?.severity).toBe('critical');
  });
});
