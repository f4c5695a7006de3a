import type Docker from 'dockerode';
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import {
  encodeRunnerRequest,
  RunnerFrameDecoder,
  type RunnerArtifact,
  type RunnerExit,
  type RunnerFrame,
} from './runner-protocol';
import type { SandboxOutputStream } from './port';
import { statusCodeOf } from './images';
import { TailBuffer } from './tail-buffer';

const MIB = 1024 * 1024;
export const WORKSPACE_PATH = '/workspace';
/** The uid the images run as by default; it owns nothing in the image. */
const SANDBOX_USER = '10001:10001';

/**
 * On Linux a non-root host runs the program under its own uid (never root), so the program can read a
 * project that only its owner may read; the workspace is mounted read-only either way.
 */
export function sandboxUser(): string {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (process.platform !== 'linux' || uid === undefined || gid === undefined || uid === 0) return SANDBOX_USER;
  return `${uid}:${gid}`;
}

export interface ContainerLimits {
  memoryMb: number;
  cpus: number;
  pidsLimit: number;
  tmpfsMb: number;
}

export interface ContainerSpec {
  image: string;
  labels: Record<string, string>;
  limits: ContainerLimits;
  /** Host directory mounted read-only at /workspace. */
  workspaceDir?: string;
}

/** The hardened container configuration; every protection is here, in one place. */
export function containerCreateOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const memoryBytes = spec.limits.memoryMb * MIB;
  const tmpfs = `rw,nosuid,nodev,noexec,size=${spec.limits.tmpfsMb}m,mode=1777`;
  return {
    Image: spec.image,
    Labels: spec.labels,
    User: sandboxUser(),
    WorkingDir: spec.workspaceDir ? WORKSPACE_PATH : '/tmp',
    // The runner's stdin carries the request; with StdinOnce it closes when the host's attachment goes away,
    // so a crashed host's warm containers end themselves (and AutoRemove deletes them).
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': tmpfs, '/out': tmpfs },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: spec.limits.pidsLimit,
      Memory: memoryBytes,
      // Equal to Memory: no swap, so a memory bomb meets the OOM killer instead of thrashing the disk.
      MemorySwap: memoryBytes,
      NanoCpus: Math.round(spec.limits.cpus * 1e9),
      AutoRemove: true,
      Mounts: spec.workspaceDir
        ? [{ Type: 'bind', Source: spec.workspaceDir, Target: WORKSPACE_PATH, ReadOnly: true }]
        : [],
    },
  };
}

export interface RunOptions {
  code: string;
  stdin: string;
  maxArtifactBytes: number;
  outputCapBytes: number;
  /** Total output past which the program is stopped: the cap keeps memory bounded, this bounds time. */
  outputKillBytes: number;
  onOutput: (stream: SandboxOutputStream, chunk: string) => void;
  /** Resolves when the run must stop (timeout or cancel); the container is killed. */
  stop: Promise<'timeout' | 'cancelled'>;
}

export interface RunOutcome {
  exit: RunnerExit | null;
  /** Set when the host stopped the run. */
  stoppedBy: 'timeout' | 'cancelled' | 'output-limit' | null;
  /** Set when the container died without reporting an exit (the runner itself was killed). */
  containerOomKilled: boolean;
  stdout: TailBuffer;
  stderr: TailBuffer;
  artifacts: RunnerArtifact[];
  durationMs: number;
}

export class SandboxContainerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxContainerError';
  }
}

/**
 * One started sandbox container whose runner is waiting for its program. It runs exactly one program;
 * afterwards it is gone (the runner exits and AutoRemove deletes it), so runs never share state.
 */
export class SandboxContainer {
  private readonly frameListeners = new Set<(frame: RunnerFrame) => void>();
  private readonly endListeners = new Set<() => void>();
  private ended = false;
  private used = false;
  readonly startedAt = Date.now();

  private constructor(
    private readonly container: Docker.Container,
    private readonly attachment: NodeJS.ReadWriteStream,
    readonly runnerStderr: string[],
  ) {}

  get id(): string {
    return this.container.id;
  }

  get alive(): boolean {
    return !this.ended;
  }

  /** Creates, attaches and starts a container, and waits until its runner says it is ready. */
  static async start(docker: Docker, spec: ContainerSpec, readyTimeoutMs = 30_000): Promise<SandboxContainer> {
    const container = await docker.createContainer(containerCreateOptions(spec));
    try {
      const attachment = (await container.attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true,
      })) as NodeJS.ReadWriteStream;
      const runnerStderr: string[] = [];
      const sandbox = new SandboxContainer(container, attachment, runnerStderr);
      const decoder = new RunnerFrameDecoder();
      const stdoutSink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          try {
            for (const frame of decoder.push(chunk)) sandbox.emitFrame(frame);
            done();
          } catch (error) {
            done(error as Error);
          }
        },
      });
      const stderrSink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          runnerStderr.push(chunk.toString('utf8'));
          done();
        },
      });
      docker.modem.demuxStream(attachment, stdoutSink, stderrSink);
      attachment.on('end', () => sandbox.emitEnd());
      attachment.on('close', () => sandbox.emitEnd());
      attachment.on('error', () => sandbox.emitEnd());
      const ready = sandbox.waitForReady(readyTimeoutMs);
      await container.start();
      await ready;
      return sandbox;
    } catch (error) {
      await container.remove({ force: true }).catch(() => {});
      throw error;
    }
  }

  private emitFrame(frame: RunnerFrame): void {
    for (const listener of this.frameListeners) listener(frame);
  }

  private emitEnd(): void {
    if (this.ended) return;
    this.ended = true;
    for (const listener of this.endListeners) listener();
  }

  private waitForReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.frameListeners.delete(onFrame);
        this.endListeners.delete(onEnd);
      };
      const onFrame = (frame: RunnerFrame) => {
        if (frame.kind !== 'ready') return;
        cleanup();
        resolve();
      };
      const onEnd = () => {
        cleanup();
        reject(
          new SandboxContainerError(`the sandbox runner exited before it was ready: ${this.runnerStderr.join('')}`),
        );
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new SandboxContainerError(`the sandbox runner was not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      this.frameListeners.add(onFrame);
      this.endListeners.add(onEnd);
    });
  }

  /** Sends the program to the runner and relays its output until it exits or the host stops it. */
  async run(cwd: string, options: RunOptions): Promise<RunOutcome> {
    if (this.used) throw new SandboxContainerError('a sandbox container runs one program only');
    this.used = true;
    const started = performance.now();
    const outcome: RunOutcome = {
      exit: null,
      stoppedBy: null,
      containerOomKilled: false,
      stdout: new TailBuffer(options.outputCapBytes),
      stderr: new TailBuffer(options.outputCapBytes),
      artifacts: [],
      durationMs: 0,
    };
    const live = {
      stdout: { decoder: new StringDecoder('utf8'), forwarded: 0 },
      stderr: { decoder: new StringDecoder('utf8'), forwarded: 0 },
    };
    let totalOutput = 0;
    let stopRun: (reason: 'output-limit') => void = () => {};
    const outputLimit = new Promise<'output-limit'>((resolve) => (stopRun = resolve));

    const finished = new Promise<void>((resolve) => {
      this.endListeners.add(resolve);
      this.frameListeners.add((frame) => {
        if (frame.kind === 'exit') {
          outcome.exit = frame.exit;
          resolve();
        } else if (frame.kind === 'artifact') {
          outcome.artifacts.push(frame.artifact);
        } else if (frame.kind === 'stdout' || frame.kind === 'stderr') {
          const stream = frame.kind;
          outcome[stream].write(frame.data);
          totalOutput += frame.data.length;
          if (totalOutput > options.outputKillBytes) stopRun('output-limit');
          const state = live[stream];
          if (state.forwarded < options.outputCapBytes) {
            state.forwarded += frame.data.length;
            const text = state.decoder.write(frame.data);
            if (text) options.onOutput(stream, text);
            if (state.forwarded >= options.outputCapBytes) {
              options.onOutput(
                stream,
                `\n[warroom: ${stream} passed the ${Math.round(options.outputCapBytes / 1024)} KiB cap; ` +
                  'the rest is not streamed, and only its last part is kept]\n',
              );
            }
          }
        }
      });
    });
    if (this.ended) throw new SandboxContainerError('the sandbox container is no longer running');
    this.attachment.write(
      encodeRunnerRequest({
        code: options.code,
        stdin: options.stdin,
        cwd,
        maxArtifactBytes: options.maxArtifactBytes,
      }),
    );

    const stoppedBy = await Promise.race([finished.then(() => null), options.stop, outputLimit]);
    if (stoppedBy) {
      outcome.stoppedBy = stoppedBy;
      await this.kill();
    } else if (!outcome.exit) {
      outcome.containerOomKilled = await this.wasOomKilled();
    }
    outcome.durationMs = outcome.exit?.durationMs ?? performance.now() - started;
    return outcome;
  }

  private async wasOomKilled(): Promise<boolean> {
    try {
      const info = await this.container.inspect();
      return info.State.OOMKilled;
    } catch {
      return false;
    }
  }

  /** Stops the container at once (SIGKILL to every process in it); it removes itself. */
  async kill(): Promise<void> {
    this.attachment.end();
    try {
      await this.container.remove({ force: true });
    } catch (error) {
      // Already gone, or AutoRemove is removing it.
      const status = statusCodeOf(error);
      if (status !== 404 && status !== 409) throw error;
    }
  }
}
