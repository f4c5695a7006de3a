import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BUILT_IN_TOOLS } from '@shared/node-kinds';
import type { RolePreset } from './node-kind';

const RoleFileSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and -'),
  description: z.string().max(500),
  system: z.string().min(1).max(50_000),
  tools: z.array(z.enum(BUILT_IN_TOOLS)),
});

/**
 * Role presets: the shipped ones in resources/roles, then the user's own (profile/roles), which may
 * replace a shipped role of the same name. A broken file is reported, not fatal.
 */
export function loadRolePresets(directories: string[], warn: (message: string) => void = () => undefined) {
  const roles = new Map<string, RolePreset>();
  for (const directory of directories) {
    if (!fs.existsSync(directory)) continue;
    for (const file of fs
      .readdirSync(directory)
      .filter((name) => name.endsWith('.json'))
      .sort()) {
      const filePath = path.join(directory, file);
      try {
        const role = RoleFileSchema.parse(JSON.parse(fs.readFileSync(filePath, 'utf8')));
        roles.set(role.name, role);
      } catch (error) {
        warn(`role file ${filePath} ignored: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return roles;
}

/**
 * The shipped resources/ folder: the nearest one above this module, which is how both the source tree
 * (src-main/engine) and the bundles (out/main, out/main/chunks) find it.
 */
export function shippedResourcesDir(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 5; level++) {
    const candidate = path.join(directory, 'resources');
    if (fs.existsSync(path.join(candidate, 'roles'))) return candidate;
    directory = path.dirname(directory);
  }
  throw new Error(`cannot find War Room's resources folder above ${fileURLToPath(import.meta.url)}`);
}
