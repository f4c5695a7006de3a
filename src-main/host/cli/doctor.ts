import fs from 'node:fs';
import type { HealthCheck } from '@shared/health';
import { createWarRoom } from '../../app';
import { FileSecretStore } from '../../store/secret-store';
import { probeDockerEngine } from '../../sandbox/docker-engine';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  /** The Sentinel's figures, for `--json` (checks of the machine itself have none). */
  measured?: HealthCheck['measured'];
}

export interface DoctorOptions {
  profileDir: string;
  env: NodeJS.ProcessEnv;
  nodeVersion?: string;
}

export const MINIMUM_NODE = [20, 19] as const;
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Everything War Room needs on this machine, checked one by one; nothing is changed. The checks of the
 * app itself are the Sentinel's, the same the health panel shows; the machine's (Node, Chromium) and the
 * key's source are the doctor's own.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  return [
    checkNode(options.nodeVersion ?? process.versions.node),
    ...(await sentinelChecks(options)),
    checkApiKey(options.profileDir, options.env),
    checkChromium(options.env),
  ];
}

async function sentinelChecks(options: DoctorOptions): Promise<DoctorCheck[]> {
  let app;
  try {
    app = createWarRoom({ profileDir: options.profileDir, host: 'cli', version: 'doctor', env: options.env });
  } catch (error) {
    // Without a usable profile the Sentinel cannot run: say why, and still look for Docker.
    return [
      { name: 'Database', status: 'fail', detail: error instanceof Error ? error.message : String(error) },
      await checkDocker(options.env),
    ];
  }
  try {
    const report = await app.sentinel.report(true);
    return report.checks.map((check) => ({
      name: check.title,
      status: check.status,
      detail: check.detail,
      measured: check.measured,
    }));
  } finally {
    await app.sandbox.settled();
    app.close();
  }
}

function checkNode(version: string): DoctorCheck {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
  return {
    name: 'Node.js',
    status: ok ? 'ok' : 'fail',
    detail: ok ? `v${version}` : `v${version} is too old; War Room needs ${MINIMUM_NODE.join('.')} or newer`,
  };
}

async function checkDocker(env: NodeJS.ProcessEnv): Promise<DoctorCheck> {
  const status = await probeDockerEngine(env);
  return status.reachable
    ? { name: 'Docker engine', status: 'ok', detail: `${status.endpoint} (Docker ${status.version ?? '?'})` }
    : { name: 'Docker engine', status: 'fail', detail: status.error ?? 'not reachable' };
}

function checkApiKey(profileDir: string, env: NodeJS.ProcessEnv): DoctorCheck {
  const status = new FileSecretStore(profileDir, null, env).status('anthropicApiKey');
  if (status.source === 'environment')
    return { name: 'Anthropic API key', status: 'ok', detail: 'from ANTHROPIC_API_KEY' };
  if (status.source === 'store') return { name: 'Anthropic API key', status: 'ok', detail: 'saved in the profile' };
  return {
    name: 'Anthropic API key',
    status: 'warn',
    detail: 'not set: set ANTHROPIC_API_KEY or save it in Settings (or use a local model endpoint)',
  };
}

function checkChromium(env: NodeJS.ProcessEnv): DoctorCheck {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : CHROMIUM_CANDIDATES;
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  return found
    ? { name: 'Chromium (e2e tests)', status: 'ok', detail: found }
    : {
        name: 'Chromium (e2e tests)',
        status: 'warn',
        detail: `not found (looked for ${candidates.join(', ')}); only the e2e tests need it`,
      };
}

export function formatDoctorTable(checks: readonly DoctorCheck[]): string {
  const labels: Record<CheckStatus, string> = { ok: 'OK', warn: 'WARN', fail: 'FAIL' };
  const nameWidth = Math.max(5, ...checks.map((check) => check.name.length));
  const lines = [`${'CHECK'.padEnd(nameWidth)}  STATUS  DETAIL`];
  for (const check of checks)
    lines.push(`${check.name.padEnd(nameWidth)}  ${labels[check.status].padEnd(6)}  ${check.detail}`);
  return lines.join('\n');
}
