import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerSandbox, sandboxLabels } from './docker-sandbox';
import { SandboxUnavailableError, type SandboxOutputStream } from './port';
import { createTestSandbox, eventually, requireDockerEngine, TEST_LIMITS, testDocker } from './testing/sandbox-fixture';

// Real containers on a real engine: images are built (offline base included) by the app's own build path.
const IMAGE_BUILD_TIMEOUT_MS = 20 * 60_000;

describe('DockerSandbox on a real Docker engine', () => {
  const shared = createTestSandbox();
  const { sandbox } = shared;

  beforeAll(async () => {
    await requireDockerEngine();
    await sandbox.buildImage('python');
    await sandbox.buildImage('node');
  }, IMAGE_BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await shared.cleanup();
  });

  it('runs hello world in python and in node', async () => {
    const python = await sandbox.execute({ language: 'python', code: 'print("hello from python")' });
    expect(python).toMatchObject({ exitCode: 0, termination: 'exited', stdout: 'hello from python\n', stderr: '' });
    const node = await sandbox.execute({ language: 'node', code: 'console.log("hello from node")' });
    expect(node).toMatchObject({ exitCode: 0, termination: 'exited', stdout: 'hello from node\n', stderr: '' });
  });

  it('keeps stdout and stderr apart and streams them live, in order', async () => {
    const events: { stream: SandboxOutputStream; chunk: string; at: number }[] = [];
    const code = [
      'import sys, time',
      'print("out 1"); time.sleep(0.3)',
      'print("err 1", file=sys.stderr); time.sleep(0.3)',
      'print("out 2"); time.sleep(0.3)',
      'print("err 2", file=sys.stderr)',
    ].join('\n');
    const result = await sandbox.execute(
      { language: 'python', code },
      { onOutput: (stream, chunk) => events.push({ stream, chunk, at: Date.now() }) },
    );
    const finishedAt = Date.now();
    expect(events.map(({ stream, chunk }) => [stream, chunk])).toEqual([
      ['stdout', 'out 1\n'],
      ['stderr', 'err 1\n'],
      ['stdout', 'out 2\n'],
      ['stderr', 'err 2\n'],
    ]);
    // The first line arrived while the program was still running, not at the end.
    expect(finishedAt - (events[0]?.at ?? finishedAt)).toBeGreaterThan(600);
    expect(result.stdout).toBe('out 1\nout 2\n');
    expect(result.stderr).toBe('err 1\nerr 2\n');
  });

  it('reports non-zero exit codes and uncaught errors', async () => {
    const python = await sandbox.execute({ language: 'python', code: 'import sys\nsys.exit(3)' });
    expect(python).toMatchObject({ exitCode: 3, termination: 'exited' });
    const raised = await sandbox.execute({ language: 'python', code: 'raise ValueError("broken")' });
    expect(raised.exitCode).toBe(1);
    expect(raised.stderr).toContain('ValueError: broken');
    expect(raised.stderr).not.toContain('runner.py');
    const node = await sandbox.execute({ language: 'node', code: 'process.exitCode = 5' });
    expect(node).toMatchObject({ exitCode: 5, termination: 'exited' });
  });

  it('has no network', async () => {
    const code = [
      'import socket',
      'try:',
      '    socket.create_connection(("1.1.1.1", 53), timeout=3)',
      '    print("connected")',
      'except OSError as error:',
      '    print("refused:", error)',
      'print(sorted(name for _, name in socket.if_nameindex()))',
    ].join('\n');
    const result = await sandbox.execute({ language: 'python', code });
    expect(result.stdout).toContain('refused:');
    expect(result.stdout).not.toContain('connected');
    expect(result.stdout).toContain("['lo']");
  });

  it('cannot write outside the workspace output and tmp folders, and sees the workspace read-only', async () => {
    const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-workspace-'));
    fs.writeFileSync(path.join(workspaceDir, 'data.txt'), 'project data');
    // The sandbox runs as an unprivileged uid here (the tests run as root): let it read, as a normal project allows.
    fs.chmodSync(workspaceDir, 0o755);
    try {
      const code = [
        'import os',
        'print("read:", open("data.txt").read())',
        'for target in ["/etc/evil", "/usr/evil", "/evil", "/workspace/evil", "/opt/warroom/runner.py"]:',
        '    try:',
        '        open(target, "w").write("x")',
        '        print("WROTE", target)',
        '    except OSError as error:',
        '        print("denied", target, type(error).__name__)',
        'open("/tmp/ok", "w").write("x"); print("tmp ok")',
        'open("/out/ok", "w").write("x"); print("out ok")',
        'print("uid", os.getuid())',
      ].join('\n');
      const result = await sandbox.execute({ language: 'python', code, workspaceDir });
      expect(result.stdout).toContain('read: project data');
      expect(result.stdout).not.toContain('WROTE');
      expect(result.stdout.match(/^denied /gm)).toHaveLength(5);
      expect(result.stdout).toContain('tmp ok');
      expect(result.stdout).toContain('out ok');
      expect(result.stdout).toContain('uid 10001');
      expect(fs.readdirSync(workspaceDir)).toEqual(['data.txt']);
    } finally {
      fs.rmSync(workspaceDir, { recursive: true, force: true });
    }
  });

  it('contains a fork bomb within the pids limit, and the host stays healthy', async () => {
    const code = [
      'import os, time',
      'failures = 0',
      'while failures < 200:',
      '    try:',
      '        if os.fork() == 0:',
      '            time.sleep(60)',
      '            os._exit(0)',
      '    except OSError:',
      '        failures += 1',
      'print("fork refused", failures, "times")',
    ].join('\n');
    const result = await sandbox.execute({ language: 'python', code, timeoutMs: 10_000 });
    expect(result.stdout).toContain('fork refused 200 times');
    const healthy = await sandbox.execute({ language: 'python', code: 'print("still fine")' });
    expect(healthy.stdout).toBe('still fine\n');
    expect(os.loadavg()[0]).toBeLessThan(os.cpus().length * 8);
  });

  it('kills a memory bomb with a clear out-of-memory result', async () => {
    const code = 'hog = []\nwhile True:\n    hog.append(bytearray(16 * 1024 * 1024))';
    const result = await sandbox.execute({ language: 'python', code, timeoutMs: 15_000 });
    expect(result.termination).toBe('out-of-memory');
    expect(result.exitCode).toBe(137);
    expect(result.stderr).toContain('out of memory');
  });

  it('times out an infinite loop with exit code 124 and leaves no process behind', async () => {
    const isolated = createTestSandbox();
    try {
      const started = Date.now();
      const result = await isolated.sandbox.execute({ language: 'node', code: 'for (;;) {}', timeoutMs: 1500 });
      expect(result).toMatchObject({ termination: 'timeout', exitCode: 124 });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await eventually(async () => (await isolated.containersOfProfile()).length === 0, 5000)).toBe(true);
    } finally {
      await isolated.cleanup();
    }
  });

  it('stops a cancelled execution within a second', async () => {
    const controller = new AbortController();
    const execution = sandbox.execute(
      { language: 'python', code: 'import time\nprint("started", flush=True)\ntime.sleep(60)' },
      {
        signal: controller.signal,
        onOutput: (_stream, chunk) => {
          if (chunk.includes('started')) controller.abort();
        },
      },
    );
    const abortedAt = await new Promise<number>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve(Date.now())),
    );
    const result = await execution;
    expect(result.termination).toBe('cancelled');
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });

  it('caps 100 MB of output per stream and keeps the tail', async () => {
    const code = [
      'import sys',
      'block = ("x" * 1023 + "\\n") * 1024',
      'for _ in range(100):',
      '    sys.stdout.write(block)',
      'sys.stdout.write("THE END\\n")',
    ].join('\n');
    let streamedBytes = 0;
    const result = await sandbox.execute(
      { language: 'python', code, timeoutMs: 60_000 },
      { onOutput: (_stream, chunk) => (streamedBytes += chunk.length) },
    );
    expect(result.termination).toBe('exited');
    expect(result.stdout.endsWith('x\nTHE END\n')).toBe(true);
    expect(result.stdout.length).toBe(64 * 1024);
    expect(result.truncated.stdout).toBe(100 * 1024 * 1024 + 'THE END\n'.length - 64 * 1024);
    expect(streamedBytes).toBeLessThan(200 * 1024);
  }, 90_000);

  it('brings back the artifacts written to the output folder', async () => {
    const artifactsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-artifacts-'));
    try {
      const code = [
        'import os',
        'open("/out/summary.txt", "w").write("42 rows")',
        'os.makedirs("/out/plots")',
        'open("/out/plots/chart.png", "wb").write(bytes(range(256)))',
      ].join('\n');
      const result = await sandbox.execute({ language: 'python', code }, { artifactsDir });
      expect(result.artifacts.map(({ path: file, mediaType, sizeBytes }) => ({ file, mediaType, sizeBytes }))).toEqual([
        { file: 'plots/chart.png', mediaType: 'image/png', sizeBytes: 256 },
        { file: 'summary.txt', mediaType: 'text/plain', sizeBytes: 7 },
      ]);
      expect(fs.readFileSync(path.join(artifactsDir, 'summary.txt'), 'utf8')).toBe('42 rows');
      expect([...fs.readFileSync(path.join(artifactsDir, 'plots', 'chart.png'))]).toEqual([...Array(256).keys()]);
    } finally {
      fs.rmSync(artifactsDir, { recursive: true, force: true });
    }
  });

  it('keeps warm containers ready, serves executions from them, and leaves nothing running on close', async () => {
    const pooled = createTestSandbox({ warmPoolSize: 1 });
    try {
      pooled.sandbox.warmUp('python');
      await pooled.sandbox.settled();
      expect((await pooled.sandbox.status()).warmContainers).toEqual({ python: 1 });
      const warmId = (await pooled.containersOfProfile())[0]?.Id;
      const result = await pooled.sandbox.execute({ language: 'python', code: 'print("warm")' });
      expect(result.stdout).toBe('warm\n');
      await pooled.sandbox.settled();
      const running = await pooled.containersOfProfile();
      // The used container is gone and a fresh one replaced it.
      expect(running.map((info) => info.Id)).not.toContain(warmId);
      expect((await pooled.sandbox.status()).warmContainers).toEqual({ python: 1 });
      await pooled.sandbox.close();
      expect(await eventually(async () => (await pooled.containersOfProfile()).length === 0, 5000)).toBe(true);
    } finally {
      await pooled.cleanup();
    }
  });

  it('sweeps away the containers of a killed host, and only those', async () => {
    const killedHost = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const deadPid = killedHost.pid ?? 0;
    killedHost.kill('SIGKILL');
    await new Promise((resolve) => killedHost.once('exit', resolve));
    const image = sandbox.images.tagFor('python');
    const owner = { profileDir: shared.profileDir, hostname: os.hostname() };
    const startLeftover = async (pid: number) => {
      const container = await testDocker.createContainer({
        Image: image,
        Entrypoint: ['sleep', '600'],
        Labels: sandboxLabels({ ...owner, pid }, 'python'),
        HostConfig: { NetworkMode: 'none' },
      });
      await container.start();
      return container.id;
    };
    const orphan = await startLeftover(deadPid);
    const stillOwned = await startLeftover(process.pid);
    try {
      const restarted = new DockerSandbox({ profileDir: shared.profileDir, limits: () => TEST_LIMITS });
      const removed = await restarted.sweepOrphans();
      await restarted.close();
      expect(removed).toContain(orphan);
      expect(removed).not.toContain(stillOwned);
      const remaining = (await shared.containersOfProfile()).map((info) => info.Id);
      expect(remaining).not.toContain(orphan);
      expect(remaining).toContain(stillOwned);
    } finally {
      await testDocker.getContainer(stillOwned).remove({ force: true });
    }
  });
});

describe('DockerSandbox without a Docker engine', () => {
  it('fails with a clear, actionable error', async () => {
    const sandbox = new DockerSandbox({
      profileDir: os.tmpdir(),
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      limits: () => TEST_LIMITS,
    });
    const execution = sandbox.execute({ language: 'python', code: 'print(1)' });
    await expect(execution).rejects.toBeInstanceOf(SandboxUnavailableError);
    await expect(execution).rejects.toThrow(
      /Docker engine not reachable at unix:\/\/\/nonexistent\/docker\.sock .*Install Docker and start it, or set DOCKER_HOST/,
    );
    await sandbox.close();
  });
});

describe('a host killed mid-run', () => {
  it('leaves no container running: its runners notice the closed attachment and end themselves', async () => {
    await requireDockerEngine();
    const host = createTestSandbox();
    let child: ReturnType<typeof spawn> | undefined;
    try {
      child = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./testing/crashing-host.ts', import.meta.url)), host.profileDir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      await new Promise<void>((resolve, reject) => {
        child?.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve());
        child?.once('exit', (code) => reject(new Error(`the host exited early (${code})`)));
      });
      // The warm container, now running the endless program.
      expect(await eventually(async () => (await host.containersOfProfile()).length === 1, 10_000)).toBe(true);
      child.kill('SIGKILL');
      expect(await eventually(async () => (await host.containersOfProfile()).length === 0, 10_000)).toBe(true);
    } finally {
      child?.kill('SIGKILL');
      await host.cleanup();
    }
  }, 60_000);
});
