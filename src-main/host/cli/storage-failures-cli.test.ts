import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { bundleCli, repoRoot } from '../../testing/crash/cli-bundle';
import { holdDatabaseLock } from '../../testing/database-lock';
import { makeTempProfile } from '../../testing/temp-profile';
import { mountTmpfs } from '../../testing/tmpfs';

/** `warroom` on a full disk, a read-only profile and a locked database: exit 1 and one clear line, no stack trace. */
const MIB = 1024 * 1024;

describe('warroom CLI on storage that fails', () => {
  let cli: string;
  const cleanups: Array<() => void> = [];

  beforeAll(async () => {
    cli = await bundleCli();
  });
  afterAll(() => fs.rmSync(cli, { force: true }));
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  function warroom(profileDir: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: repoRoot,
      env: { ...process.env, WARROOM_HOME: profileDir, WARROOM_EMBEDDER: 'none', ANTHROPIC_API_KEY: 'test-key' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  }

  function writeWorkflow(dir: string, template: string): string {
    const file = path.join(dir, 'workflow.json');
    fs.writeFileSync(file, JSON.stringify(chainWorkflow([['shout', 'transform', { template }]])));
    return file;
  }

  function runsIn(profileDir: string): { integrity: unknown; runs: number } {
    const db = new Database(path.join(profileDir, 'warroom.db'));
    try {
      const { n } = db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number };
      return { integrity: db.pragma('integrity_check'), runs: n };
    } finally {
      db.close();
    }
  }

  const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

  /** A profile in `dir` (a new one in the temp directory by default) that `warroom` has opened once. */
  async function openedProfile(dir?: string): Promise<string> {
    const profileDir = dir ?? makeTempProfile();
    if (!dir) cleanups.push(() => fs.rmSync(profileDir, { recursive: true, force: true }));
    expect((await warroom(profileDir, ['runs', 'list'])).code).toBe(0);
    return profileDir;
  }

  /** An opened profile on a small disk of its own (tmpfs), to fill or make read-only. */
  async function openedProfileOnTmpfs() {
    const disk = mountTmpfs(4 * MIB);
    cleanups.push(() => disk.unmount());
    return { disk, profileDir: await openedProfile(path.join(disk.dir, 'profile')) };
  }

  /** Another process holding the profile database's lock; with `exclusive`, so that not even start-up can read it. */
  async function lockDatabase(profileDir: string, exclusive = false) {
    const holder = await holdDatabaseLock(path.join(profileDir, 'warroom.db'), exclusive);
    cleanups.push(() => void holder.kill('SIGKILL'));
    return holder;
  }

  it('says the profile is read-only and which file, when it is mounted read-only', async () => {
    const { disk, profileDir } = await openedProfileOnTmpfs();
    disk.remountReadOnly();

    const { code, stderr } = await warroom(profileDir, ['runs', 'list']);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `warroom: War Room cannot write to ${path.join(profileDir, 'warroom.db')}: it is read-only`,
    );
    noStackTrace(stderr);
  }, 60_000);

  it('says the disk is full when a run cannot be recorded, and records nothing of it', async () => {
    const { disk, profileDir } = await openedProfileOnTmpfs();
    const workflowFile = writeWorkflow(disk.dir, `{{in}}${'!'.repeat(90_000)}`);
    disk.fillLeaving(48 * 1024);

    const { code, stderr } = await warroom(profileDir, ['run', workflowFile, '--project', disk.dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`warroom: The disk holding ${path.join(profileDir, 'warroom.db')} is full \\(`));
    noStackTrace(stderr);
    expect(runsIn(profileDir)).toEqual({ integrity: [{ integrity_check: 'ok' }], runs: 0 });
  }, 60_000);

  it('waits for a database another process locks, then says so; nothing is half-written', async () => {
    const profileDir = await openedProfile();
    const workflowFile = writeWorkflow(profileDir, '{{in}}!');
    const holder = await lockDatabase(profileDir);

    const { code, stderr } = await warroom(profileDir, ['run', workflowFile, '--project', profileDir]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `warroom: The database at ${path.join(profileDir, 'warroom.db')} is locked by another process`,
    );
    noStackTrace(stderr);
    await new Promise((resolve) => {
      holder.once('exit', resolve);
      holder.kill('SIGKILL');
    });
    expect(runsIn(profileDir)).toEqual({ integrity: [{ integrity_check: 'ok' }], runs: 0 });
  }, 60_000);

  it('says the database is locked when another process holds it exclusively at start-up', async () => {
    const profileDir = await openedProfile();
    await lockDatabase(profileDir, true);

    const { code, stderr } = await warroom(profileDir, ['runs', 'list']);
    expect(code).toBe(1);
    expect(stderr).toContain('is locked by another process');
    expect(stderr).toContain('another War Room, or a tool such as sqlite3, is using this profile');
    noStackTrace(stderr);
  }, 60_000);
});
