import { Command } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWarRoom } from '../../app';
import { requireDockerEngine } from '../../sandbox/testing/sandbox-fixture';
import { registerSandboxCommands, unshownTail } from './sandbox-command';

const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-sandbox-cli-'));

/** Runs `warroom sandbox …` in-process and collects what it prints and the exit code it sets. */
async function warroomSandbox(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const printed = { stdout: '', stderr: '' };
  stdout.on('data', (chunk: Buffer) => (printed.stdout += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (printed.stderr += chunk.toString()));
  let exitCode = 0;
  const program = new Command().exitOverride();
  registerSandboxCommands(program, {
    stdout,
    stderr,
    stdin: Readable.from([options.stdin ?? '']),
    env: { ...process.env, WARROOM_HOME: profileDir, ...options.env },
    setExitCode: (code) => (exitCode = code),
  });
  await program.parseAsync(['sandbox', ...args], { from: 'user' });
  return { ...printed, exitCode };
}

describe('warroom sandbox', () => {
  beforeAll(async () => {
    await requireDockerEngine();
    const build = await warroomSandbox(['build']);
    expect(build.stdout).toMatch(/^python: warroom-sandbox-python:\w+\nnode: warroom-sandbox-node:\w+\n$/);
  }, 20 * 60_000);

  afterAll(() => fs.rmSync(profileDir, { recursive: true, force: true }));

  it('exec runs a file, streams its output and exits with its exit code', async () => {
    const file = path.join(profileDir, 'program.py');
    fs.writeFileSync(file, 'import sys\nprint("hi")\nprint("warn", file=sys.stderr)\nsys.exit(3)\n');
    expect(await warroomSandbox(['exec', file])).toEqual({ stdout: 'hi\n', stderr: 'warn\n', exitCode: 3 });
    // The execution is in the profile's audit log, made by the CLI.
    const app = createWarRoom({ profileDir, host: 'cli', version: 'test', env: {}, memoryEmbedder: null });
    try {
      expect(app.audit.list({ kinds: ['sandbox.exec'] }).entries.at(-1)).toMatchObject({
        actor: 'cli',
        details: { language: 'python', exitCode: 3, termination: 'exited' },
      });
    } finally {
      app.close();
    }
  });

  it('exec reads the program from stdin with --image', async () => {
    const result = await warroomSandbox(['exec', '--image', 'node', '-'], { stdin: 'console.log(6 * 7)' });
    expect(result).toEqual({ stdout: '42\n', stderr: '', exitCode: 0 });
  });

  it('exec exits with 124 when --timeout is reached', async () => {
    const result = await warroomSandbox(['exec', '--image', 'python', '--timeout', '1', '-'], {
      stdin: 'while True: pass',
    });
    expect(result.exitCode).toBe(124);
    // The notice says how long it ran: never less than the limit (more on a busy machine).
    const seconds = Number(/timed out after (\d+(?:\.\d)?) s/.exec(result.stderr)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThan(60);
  });

  it('exec prints the kept tail of a stream past the cap after the cut notice', async () => {
    // 4 MiB of filler past the 1 MiB cap, then the lines a user needs: the end of the run and its error.
    const program = [
      'import sys',
      'line = "x" * 1023 + "\\n"',
      'for _ in range(4096): sys.stdout.write(line)',
      'print("LAST LINE OF STDOUT")',
      'print("Traceback: the real error", file=sys.stderr)',
      'sys.exit(2)',
    ].join('\n');
    const result = await warroomSandbox(['exec', '--image', 'python', '-'], { stdin: program });
    expect(result.exitCode).toBe(2);
    const capNotice = result.stdout.indexOf('passed the 1024 KiB cap');
    expect(capNotice).toBeGreaterThan(1024 * 1024 - 1);
    expect(result.stdout.indexOf('LAST LINE OF STDOUT')).toBeGreaterThan(capNotice);
    expect(result.stdout.endsWith('x\nLAST LINE OF STDOUT\n')).toBe(true);
    expect(result.stderr).toMatch(/\[warroom: \d+ bytes of stdout were cut; its last 1048576 bytes follow\]\n/);
    expect(result.stderr).toContain('Traceback: the real error\n');
    // Head (about 1 MiB), notice and tail (exactly 1 MiB): the 3 MiB in between are not printed.
    expect(result.stdout.length).toBeLessThan(2 * 1024 * 1024 + 64 * 1024);
  });

  it('doctor reports the engine, the images and the limits', async () => {
    const result = await warroomSandbox(['doctor']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^OK {4}Docker engine/m);
    expect(result.stdout).toMatch(/^OK {4}python image/m);
    expect(result.stdout).toMatch(/^INFO {2}limits {10}512 MB memory/m);
  });

  it('says what to do when there is no Docker engine', async () => {
    const env = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const doctor = await warroomSandbox(['doctor'], { env });
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toContain(
      'FAIL  Docker engine   Docker engine not reachable at unix:///nonexistent/docker.sock',
    );
    await expect(warroomSandbox(['exec', '-'], { env, stdin: 'print(1)' })).rejects.toThrow(
      /Install Docker and start it, or set DOCKER_HOST/,
    );
  });
});

describe('unshownTail: what exec prints after the live output of a cut stream', () => {
  it('prints nothing when the stream was not cut', () => {
    expect(unshownTail('stdout', 10, 0, 'all of it')).toBeNull();
  });

  it('prints the whole kept tail when a middle part was never seen', () => {
    expect(unshownTail('stdout', 100, 250, 'the last lines\n')).toEqual({
      notice: '[warroom: 150 bytes of stdout were cut; its last 15 bytes follow]\n',
      text: 'the last lines\n',
    });
  });

  it('prints only the unseen end when the streamed head and the kept tail overlap', () => {
    // 14 bytes in all: the first 10 were streamed, the last 10 kept (4 dropped), so 4 are still unseen.
    expect(unshownTail('stderr', 10, 4, '6789ABCDEF')).toEqual({
      notice: '[warroom: nothing of stderr was cut; its last 4 bytes follow]\n',
      text: 'CDEF',
    });
  });

  it('prints nothing more when everything kept was already streamed', () => {
    expect(unshownTail('stdout', 14, 4, '6789ABCDEF')).toBeNull();
  });
});
