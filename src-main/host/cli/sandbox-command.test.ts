import { Command } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireDockerEngine } from '../../sandbox/testing/sandbox-fixture';
import { registerSandboxCommands } from './sandbox-command';

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
    expect(result.stderr).toMatch(/timed out after 1\.\d s/);
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
