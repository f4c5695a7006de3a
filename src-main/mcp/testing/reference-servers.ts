import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { McpServerConfig } from '@shared/mcp';

/** Test support: the MCP reference servers installed from npm (dev dependencies), started as users would. */
const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

export const EVERYTHING_SERVER = path.join(packageDir('@modelcontextprotocol/server-everything'), 'dist', 'index.js');
export const FILESYSTEM_SERVER = path.join(packageDir('@modelcontextprotocol/server-filesystem'), 'dist', 'index.js');

export function everythingStdio(extra: Partial<McpServerConfig> = {}): McpServerConfig {
  return { command: process.execPath, args: [EVERYTHING_SERVER, 'stdio'], ...extra } as McpServerConfig;
}

export function filesystemStdio(root: string): McpServerConfig {
  return { command: process.execPath, args: [FILESYSTEM_SERVER, root] };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** server-everything over HTTP (Streamable HTTP, or the older SSE transport) on a free port, once it listens. */
export async function startEverythingHttp(
  mode: 'streamableHttp' | 'sse' = 'streamableHttp',
): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING_SERVER, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server-everything did not listen: ${output}`)), 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/listening on port|running on port/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`server-everything exited with ${code}: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

/** A small SDK server for list_changed and cancellation (see fixture-server.ts), run from source through tsx. */
export function fixtureServer(env: Record<string, string> = {}): McpServerConfig {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', fileURLToPath(new URL('./fixture-server.ts', import.meta.url))],
    env,
  };
}
