import fs from 'node:fs';
import path from 'node:path';
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

/** resources/ of the source tree or the build output (both sit two levels above this module's bundle). */
export function shippedResourcesDir(): string {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'resources');
}
