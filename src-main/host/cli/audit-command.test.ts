import Database from 'better-sqlite3';
import { Command } from 'commander';
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWarRoom } from '../../app';
import { databasePath } from '../../profile';
import { makeTempProfile } from '../../testing/temp-profile';
import { registerAuditCommands } from './audit-command';

const HASH = 'b'.repeat(64);

/** Runs `warroom audit …` through commander on the test's profile; returns what it printed and its exit code. */
async function warroom(profileDir: string, args: string[]) {
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  let exitCode = -1;
  const program = new Command().exitOverride();
  registerAuditCommands(program, {
    stdout,
    stderr: new PassThrough(),
    env: { WARROOM_HOME: profileDir, WARROOM_EMBEDDER: 'none' },
    setExitCode: (code) => (exitCode = code),
  });
  await program.parseAsync(['audit', ...args], { from: 'user' });
  return { printed, exitCode };
}

describe('warroom audit', () => {
  let profileDir: string;

  beforeEach(() => {
    profileDir = makeTempProfile('warroom-audit-cli-');
    const app = createWarRoom({ profileDir, host: 'cli', version: 'test', env: {}, memoryEmbedder: null });
    for (const [runId, file] of [
      ['run_a', 'src/a.ts'],
      ['run_b', 'src/b.ts'],
      ['run_a', 'src/c.ts'],
    ] as const) {
      app.audit.record({
        kind: 'file.write',
        runId,
        nodeId: 'coder',
        actor: 'agent',
        details: { path: file, bytes: 10, sha256: HASH },
      });
    }
    app.settings.update({ ui: { reduceMotion: true } });
    app.close();
  });
  afterEach(() => fs.rmSync(profileDir, { recursive: true, force: true }));

  it('lists entries as a table or JSON lines, filtered by run, kind and time', async () => {
    const table = await warroom(profileDir, []);
    expect(table.exitCode).toBe(0);
    const lines = table.printed.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEQ\s+TIME\s+KIND\s+ACTOR\s+RUN\s+NODE\s+WHAT$/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(
      /^1\s+\S+\s+file\.write\s+agent\s+run_a\s+coder\s+src\/a\.ts \(10 bytes, sha256 bbbbbbbbbbbb\)$/,
    );
    expect(lines[4]).toMatch(/settings\.changed\s+cli\s+-\s+-\s+ui\.reduceMotion$/);

    const json = await warroom(profileDir, ['--run', 'run_a', '--json']);
    const entries = json.printed
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; details: { path: string } });
    expect(entries.map((entry) => [entry.seq, entry.details.path])).toEqual([
      [1, 'src/a.ts'],
      [3, 'src/c.ts'],
    ]);
    const kinds = await warroom(profileDir, ['--kind', 'settings.changed', '--json']);
    expect(kinds.printed.trimEnd().split('\n')).toHaveLength(1);
    expect((await warroom(profileDir, ['--since', '2999-01-01'])).printed).toBe('No audit entries match.\n');
    expect((await warroom(profileDir, ['--limit', '2'])).printed).toContain('raise --limit');
  });

  it('rejects an unknown kind with the list of kinds', async () => {
    await expect(warroom(profileDir, ['--kind', 'file.delete'])).rejects.toThrow(/must be one of file\.read/);
  });

  it('verify exits 0 with the count, and 1 naming the first entry edited or removed in the file', async () => {
    const intact = await warroom(profileDir, ['verify']);
    expect(intact).toMatchObject({ exitCode: 0 });
    expect(intact.printed).toMatch(/^The audit log is intact: 4 entries, last hash [0-9a-f]{64}\.\n$/);

    const db = new Database(databasePath(profileDir));
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    db.close();
    const gap = await warroom(profileDir, ['verify']);
    expect(gap.exitCode).toBe(1);
    expect(gap.printed).toContain('broken at entry 4 (seq-gap)');
    expect(gap.printed).toContain('The 2 entries before it are intact.');

    const edit = new Database(databasePath(profileDir));
    edit.prepare(`UPDATE audit_log SET details = replace(details, 'src/b.ts', 'src/x.ts') WHERE seq = 2`).run();
    edit.close();
    const edited = await warroom(profileDir, ['verify', '--json']);
    expect(edited.exitCode).toBe(1);
    expect(JSON.parse(edited.printed)).toMatchObject({
      intact: false,
      count: 1,
      brokenAt: { seq: 2, reason: 'hash-mismatch' },
    });
  });
});
