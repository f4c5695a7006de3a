import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './crash/cli-bundle';

/** How a test starts `warroom`: which build of the CLI, on which profile, against which model. */
export interface CliProcessOptions {
  /** Node's arguments before the command's: a bundle from bundleCli(), or `--import tsx` and the source entry. */
  entry: string[];
  profileDir: string;
  /** The fake Messages API the child's agents call. */
  modelUrl: string;
}

/**
 * `warroom <args>` as a child process on a test profile: no embedder model to download, a test API key, the
 * fake Messages API. Its stdout and stderr are kept together, in the order a terminal would show them.
 */
export function startCliProcess(
  args: string[],
  options: CliProcessOptions,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...options.entry, ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      WARROOM_HOME: options.profileDir,
      WARROOM_EMBEDDER: 'none',
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: options.modelUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}
