import packageJson from '../../../package.json';
import { createWarRoom, type WarRoom, type WarRoomConfig } from '../../app';
import { resolveProfileDir } from '../../profile';

/** Where a `warroom` command reads and writes, and the environment it runs in; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  setExitCode: (code: number) => void;
}

/** The terminal and environment of this process. */
export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  setExitCode: (code) => (process.exitCode = code),
};

/**
 * The app as every `warroom` command opens it: on the profile `env` names (WARROOM_HOME, else the
 * platform's place), reading keys and settings from that same `env`. The caller closes it.
 */
export function openCliApp(
  env: NodeJS.ProcessEnv = process.env,
  config: Pick<WarRoomConfig, 'auditActor'> = {},
): WarRoom {
  return createWarRoom({
    profileDir: resolveProfileDir(env),
    host: 'cli',
    version: packageJson.version,
    env,
    ...config,
  });
}
