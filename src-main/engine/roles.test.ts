import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRolePresets, shippedResourcesDir } from './roles';

describe('role presets', () => {
  it('ships the team roles, each with tools', () => {
    const roles = loadRolePresets([path.join(shippedResourcesDir(), 'roles')]);
    expect([...roles.keys()].sort()).toEqual(
      [
        'architect',
        'coder',
        'coordinator',
        'judge',
        'performance-reviewer',
        'planner',
        'researcher',
        'reviewer',
        'security-reviewer',
        'sentinel',
        'tester',
      ].sort(),
    );
    for (const role of roles.values()) expect(role.tools.length).toBeGreaterThan(0);
  });

  it('lets the profile add and override roles, and reports broken files', () => {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-roles-'));
    fs.writeFileSync(
      path.join(userDir, 'coder.json'),
      JSON.stringify({ name: 'coder', description: 'mine', system: 'Write Rust.', tools: ['read_file'] }),
    );
    fs.writeFileSync(path.join(userDir, 'bad.json'), '{"name": "Bad Name"}');
    const warnings: string[] = [];
    const roles = loadRolePresets([path.join(shippedResourcesDir(), 'roles'), userDir], (warning) =>
      warnings.push(warning),
    );
    expect(roles.get('coder')?.system).toBe('Write Rust.');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/bad.json ignored/);
    fs.rmSync(userDir, { recursive: true });
  });
});
