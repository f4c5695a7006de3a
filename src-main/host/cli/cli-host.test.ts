import { Command } from 'commander';
import fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWarRoom, type WarRoom } from '../../app';
import { makeTempProfile } from '../../testing/temp-profile';
import { registerMemoryCommands } from './memory-command';
import { registerSandboxCommands } from './sandbox-command';

vi.mock('../../app', async (importOriginal) => {
  const app = await importOriginal<typeof import('../../app')>();
  return { ...app, createWarRoom: vi.fn(app.createWarRoom) };
});

const hostsOfCreatedApps = () =>
  vi.mocked(createWarRoom).mock.results.map((result) => (result.value as WarRoom).info().host);

describe('the warroom CLI', () => {
  let profileDir: string;

  beforeEach(() => {
    profileDir = makeTempProfile('warroom-cli-host-');
    vi.mocked(createWarRoom).mockClear();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    process.exitCode = undefined;
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('creates the app of a memory command as host cli', async () => {
    vi.stubEnv('WARROOM_HOME', profileDir);
    vi.stubEnv('WARROOM_EMBEDDER', 'none');
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const program = new Command().exitOverride();
    registerMemoryCommands(program);
    await program.parseAsync(['memory', 'stats', '--json'], { from: 'user' });
    expect(hostsOfCreatedApps()).toEqual(['cli']);
  });

  it('creates the app of a sandbox command as host cli', async () => {
    const program = new Command().exitOverride();
    registerSandboxCommands(program, {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: Readable.from(['']),
      env: { ...process.env, WARROOM_HOME: profileDir },
      setExitCode: () => {},
    });
    await program.parseAsync(['sandbox', 'doctor'], { from: 'user' });
    expect(hostsOfCreatedApps()).toEqual(['cli']);
  });
});
