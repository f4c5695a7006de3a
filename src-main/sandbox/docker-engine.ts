import Docker from 'dockerode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DockerEngineStatus {
  reachable: boolean;
  /** Where we looked: DOCKER_HOST, or the platform's default socket. */
  endpoint: string;
  version: string | null;
  error: string | null;
}

/** The engine endpoint dockerode will use, for messages (it reads DOCKER_HOST itself). */
export function describeDockerEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  return process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';
}

/** Asks the Docker engine for its version, with a short timeout so a dead endpoint does not hang. */
export async function probeDockerEngine(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 3000,
): Promise<DockerEngineStatus> {
  const endpoint = describeDockerEndpoint(env);
  try {
    const docker = new Docker({ ...dockerOptionsFrom(env), timeout: timeoutMs });
    const version = await docker.version();
    return { reachable: true, endpoint, version: version.Version, error: null };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      reachable: false,
      endpoint,
      version: null,
      error: `Docker engine not reachable at ${endpoint} (${detail}). Install Docker and start it, or set DOCKER_HOST to a running engine.`,
    };
  }
}

/**
 * Connection options from the Docker CLI's own variables (DOCKER_HOST, DOCKER_TLS_VERIFY,
 * DOCKER_CERT_PATH), read from the given environment rather than the process's, so callers and tests
 * can point at any engine.
 */
export function dockerOptionsFrom(env: NodeJS.ProcessEnv): Docker.DockerOptions {
  const host = env.DOCKER_HOST;
  if (!host) return { socketPath: process.platform === 'win32' ? '//./pipe/docker_engine' : '/var/run/docker.sock' };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('npipe://')) return { socketPath: host.slice('npipe://'.length) };
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  if (url.protocol === 'ssh:') {
    return { protocol: 'ssh', host: url.hostname, port: Number(url.port || 22), username: url.username || undefined };
  }
  const tls = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
  if (!tls) return { protocol: 'http', host: url.hostname, port: Number(url.port || 2375) };
  const certDir = env.DOCKER_CERT_PATH ?? path.join(os.homedir(), '.docker');
  return {
    protocol: 'https',
    host: url.hostname,
    port: Number(url.port || 2376),
    ca: fs.readFileSync(path.join(certDir, 'ca.pem')),
    cert: fs.readFileSync(path.join(certDir, 'cert.pem')),
    key: fs.readFileSync(path.join(certDir, 'key.pem')),
  };
}
