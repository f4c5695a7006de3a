import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeThrowawayHome, startHost } from './fixtures/host';

const CLI = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));

function warroom(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--version and --help', () => {
  const version = warroom(['--version']);
  expect(version.code).toBe(0);
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  const help = warroom(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('serve');
  expect(help.stdout).toContain('doctor');
  const unknown = warroom(['frobnicate']);
  expect(unknown.code).not.toBe(0);
  expect(unknown.stderr).toContain("unknown command 'frobnicate'");
});

test('doctor prints a table and exits 1 when the Docker engine is unreachable', () => {
  const result = warroom(['doctor'], {
    WARROOM_HOME: makeThrowawayHome(),
    DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    ANTHROPIC_API_KEY: '',
  });
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^CHECK\s+STATUS\s+DETAIL/);
  expect(result.stdout).toMatch(
    /Docker engine\s+FAIL\s+Docker engine not reachable at unix:\/\/\/nonexistent\/docker.sock/,
  );
  expect(result.stdout).toMatch(/Database\s+OK/);
});

test('serve refuses a damaged database, keeps it, and says where the backup is', () => {
  const home = makeThrowawayHome();
  const database = path.join(home, 'warroom.db');
  fs.writeFileSync(database, 'definitely not an SQLite database, but long enough to have a header '.repeat(20));
  const before = fs.readFileSync(database);
  const result = warroom(['serve', '--port', '0'], { WARROOM_HOME: home });
  expect(result.code).toBe(1);
  const backup = /copy was saved to (\S+)\./.exec(result.stderr)?.[1];
  expect(result.stderr).toContain(`The database at ${database} is damaged`);
  expect(backup).toBeDefined();
  expect(fs.readFileSync(backup ?? '')).toEqual(before);
  expect(fs.readFileSync(database)).toEqual(before);
});

test('serve reports an explicitly requested port that is taken', async () => {
  const host = await startHost(makeThrowawayHome());
  try {
    const port = new URL(host.url).port;
    const result = warroom(['serve', '--port', port], { WARROOM_HOME: makeThrowawayHome() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(warroom(['serve', '--port', 'seventy']).stderr).toContain('must be an integer from 0 to 65535');
  } finally {
    await host.stop();
  }
});
