import os from 'node:os';
import path from 'node:path';
import { safeArtifactName } from '@shared/run-artifacts';

export const PRODUCT_DIR_NAME = 'War Room';

/**
 * The profile directory: `WARROOM_HOME` if set, else the OS app-data folder the desktop app uses
 * (so the CLI, browser mode and the desktop window share one profile by default).
 */
export function resolveProfileDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  homeDir: string = os.homedir(),
): string {
  const override = env.WARROOM_HOME?.trim();
  if (override) return path.resolve(override);
  switch (platform) {
    case 'darwin':
      return path.join(homeDir, 'Library', 'Application Support', PRODUCT_DIR_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(homeDir, 'AppData', 'Roaming'), PRODUCT_DIR_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(homeDir, '.config'), PRODUCT_DIR_NAME);
  }
}

export function databasePath(profileDir: string): string {
  return path.join(profileDir, 'warroom.db');
}

/**
 * Where a run's artifacts live: `<profile>/artifacts/<run id>/`, one folder per producer inside it (`mcp`
 * for MCP tools' images, `code/<execution>` for what a code node wrote to `/out`). The MCP registry, the
 * sandbox and `runs.artifact` all take the folder from here.
 */
export function runArtifactsDir(profileDir: string, runId: string): string {
  return path.join(profileDir, 'artifacts', safeArtifactName(runId));
}
