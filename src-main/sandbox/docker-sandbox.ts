import Docker from 'dockerode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImageBuildEvent, SandboxStatus } from '@shared/sandbox';
import { describeDockerEndpoint, dockerOptionsFrom, probeDockerEngine } from './docker-engine';
import {
  findSandboxImagesDir,
  ImageBuilder,
  imageExists,
  type ImageSource,
  SANDBOX_LANGUAGES,
  statusCodeOf,
} from './images';
import {
  SandboxUnavailableError,
  type SandboxArtifact,
  type SandboxExecOptions,
  type SandboxExecRequest,
  type SandboxExecResult,
  type SandboxLanguage,
  type SandboxRunner,
} from './port';
import { type ContainerLimits, SandboxContainer, WORKSPACE_PATH, type RunOutcome } from './sandbox-container';
import { WarmPool } from './warm-pool';
import { artifactMediaType, safeArtifactName } from '@shared/run-artifacts';
import { runArtifactsDir } from '../profile';

/** The limits a sandbox applies, as in the settings' `sandbox` section. */
export interface SandboxLimits extends ContainerLimits {
  timeoutSeconds: number;
  outputCapKb: number;
  warmPoolSize: number;
  idleTimeoutSeconds: number;
  imageSource: ImageSource;
}

export const LABEL = {
  sandbox: 'warroom.sandbox',
  profile: 'warroom.profile',
  host: 'warroom.host',
  ownerPid: 'warroom.owner-pid',
  language: 'warroom.language',
} as const;

export interface SandboxOwner {
  profileDir: string;
  hostname: string;
  pid: number;
}

/** The labels on every sandbox container: they name War Room, the profile and the owning process. */
export function sandboxLabels(owner: SandboxOwner, language: SandboxLanguage): Record<string, string> {
  return {
    [LABEL.sandbox]: 'true',
    [LABEL.profile]: owner.profileDir,
    [LABEL.host]: owner.hostname,
    [LABEL.ownerPid]: String(owner.pid),
    [LABEL.language]: language,
  };
}

const MAX_ARTIFACT_BYTES = 50 * 1024 * 1024;
/** At most this many files of one execution are kept (the runner already bounds their total size). */
const MAX_ARTIFACT_FILES = 200;
/** Programs printing more than this in total are stopped (the caps already bound memory). */
const OUTPUT_KILL_BYTES = 1024 * 1024 * 1024;
const TIMEOUT_EXIT_CODE = 124;
/** The settings' upper bound also caps what a caller asks for. */
const MAX_TIMEOUT_MS = 3600 * 1000;

export interface DockerSandboxOptions {
  profileDir: string;
  limits: () => SandboxLimits;
  env?: NodeJS.ProcessEnv;
  imagesDir?: string;
  /** Overrides the process identity written into labels (tests use it to play a crashed host). */
  owner?: Partial<SandboxOwner>;
  /** Receives build progress of images built on demand. */
  onBuildProgress?: (event: ImageBuildEvent) => void;
  /** Receives errors of background work (warm-pool refills, the orphan sweep). */
  onBackgroundError?: (error: unknown) => void;
}

/**
 * The Docker implementation of the SandboxRunner port: hardened single-use containers, started ahead of
 * time by a warm pool, images built on demand, orphans of crashed hosts swept away.
 */
export class DockerSandbox implements SandboxRunner {
  readonly docker: Docker;
  readonly images: ImageBuilder;
  private readonly owner: SandboxOwner;
  private readonly pool: WarmPool<SandboxContainer>;
  private readonly running = new Set<SandboxContainer>();
  private readonly disposals = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: DockerSandboxOptions) {
    const env = options.env ?? process.env;
    this.docker = new Docker(dockerOptionsFrom(env));
    this.owner = { profileDir: options.profileDir, hostname: os.hostname(), pid: process.pid, ...options.owner };
    let imagesDir: string | undefined;
    this.images = new ImageBuilder({
      docker: this.docker,
      imagesDir: () => (imagesDir ??= options.imagesDir ?? findSandboxImagesDir()),
      source: () => options.limits().imageSource,
    });
    this.pool = new WarmPool<SandboxContainer>({
      start: (key) => this.startContainer(parsePoolKey(key)),
      size: () => options.limits().warmPoolSize,
      idleTimeoutMs: () => options.limits().idleTimeoutSeconds * 1000,
      onError: (_key, error) => options.onBackgroundError?.(error),
    });
  }

  async execute(request: SandboxExecRequest, options: SandboxExecOptions = {}): Promise<SandboxExecResult> {
    if (this.closed) throw new SandboxUnavailableError('the sandbox is shut down');
    const limits = this.options.limits();
    const started = performance.now();
    if (options.signal?.aborted) return cancelledBeforeStart(performance.now() - started);
    const workspaceDir = request.workspaceDir === undefined ? undefined : path.resolve(request.workspaceDir);
    const key = poolKey(request.language, workspaceDir);
    const artifactsDir = this.artifactsDirFor(options);
    const storedPrefix = options.runArtifacts && !options.artifactsDir ? this.storedPrefixFor(options) : undefined;
    const container = this.pool.take(key) ?? (await this.startContainerOrExplain(request.language, workspaceDir));
    this.running.add(container);
    const timeoutMs = Math.min(request.timeoutMs ?? limits.timeoutSeconds * 1000, MAX_TIMEOUT_MS);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<'timeout' | 'cancelled'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      onAbort = () => resolve('cancelled');
      if (options.signal?.aborted) resolve('cancelled');
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    let outcome: RunOutcome;
    try {
      outcome = await container.run(workspaceDir ? WORKSPACE_PATH : '/tmp', {
        code: request.code,
        stdin: request.stdin ?? '',
        maxArtifactBytes: artifactsDir ? MAX_ARTIFACT_BYTES : 0,
        outputCapBytes: limits.outputCapKb * 1024,
        outputKillBytes: OUTPUT_KILL_BYTES,
        onOutput: options.onOutput ?? (() => {}),
        stop,
      });
    } finally {
      clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener('abort', onAbort);
      this.running.delete(container);
      // Single use: whatever is left of it goes (usually the runner has already exited).
      const disposal = container
        .kill()
        .catch((error: unknown) => this.options.onBackgroundError?.(error))
        .finally(() => this.disposals.delete(disposal));
      this.disposals.add(disposal);
      // The replacement starts once this run is over, not during it.
      this.pool.warm(key);
    }
    const artifacts = artifactsDir ? writeArtifacts(outcome, artifactsDir, options.onOutput, storedPrefix) : [];
    return toResult(outcome, artifacts, performance.now() - started);
  }

  /** A run's artifacts go to its folder in the profile, each folder segment made a plain name. */
  private artifactsDirFor(options: SandboxExecOptions): string | undefined {
    if (options.artifactsDir) return options.artifactsDir;
    if (!options.runArtifacts) return undefined;
    const { runId } = options.runArtifacts;
    return path.join(runArtifactsDir(this.options.profileDir, runId), ...this.folderSegments(options));
  }

  private storedPrefixFor(options: SandboxExecOptions): string {
    return this.folderSegments(options).join('/');
  }

  private folderSegments(options: SandboxExecOptions): string[] {
    return (options.runArtifacts?.folder ?? '').split('/').filter(Boolean).map(safeArtifactName);
  }

  /** Pre-starts containers for a language so the next execution is warm. */
  warmUp(language: SandboxLanguage, workspaceDir?: string): void {
    this.pool.warm(poolKey(language, workspaceDir));
  }

  /** Resolves once background work is done: warm containers started, used ones removed. */
  async settled(): Promise<void> {
    await Promise.all([this.pool.settled(), Promise.allSettled([...this.disposals])]);
  }

  /** Builds the language's image if missing (or always, with `force`), reporting progress. */
  async buildImage(
    language: SandboxLanguage,
    onProgress: (event: ImageBuildEvent) => void = () => {},
    force = false,
  ): Promise<string> {
    await this.requireEngine();
    if (force) return this.images.build(language, onProgress);
    let built = false;
    const tag = await this.images.ensure(language, (event) => {
      built = true;
      onProgress(event);
    });
    if (!built) onProgress({ image: tag, step: 0, totalSteps: 0, message: `${tag} is already built`, done: true });
    return tag;
  }

  async status(): Promise<SandboxStatus> {
    const engine = await probeDockerEngine(this.options.env ?? process.env);
    const images = await Promise.all(
      SANDBOX_LANGUAGES.map(async (language) => {
        const tag = this.images.tagFor(language);
        const present = engine.reachable ? await imageExists(this.docker, tag) : false;
        return { language, tag, present };
      }),
    );
    const warmContainers: Record<string, number> = {};
    for (const [key, count] of Object.entries(this.pool.counts())) {
      const language = parsePoolKey(key).language;
      warmContainers[language] = (warmContainers[language] ?? 0) + count;
    }
    return { engine, images, warmContainers };
  }

  /**
   * Removes this profile's sandbox containers whose owning process on this machine is gone (a crashed or
   * killed host). Containers of live processes, of other profiles (another user's War Room, another test
   * run) and of other machines sharing a remote engine are left alone: each profile sweeps its own.
   */
  async sweepOrphans(): Promise<string[]> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: {
        label: [
          `${LABEL.sandbox}=true`,
          `${LABEL.host}=${this.owner.hostname}`,
          `${LABEL.profile}=${this.owner.profileDir}`,
        ],
      },
    });
    const orphans = containers.filter((info) => {
      const pid = Number(info.Labels[LABEL.ownerPid]);
      return pid !== process.pid && !processIsAlive(pid);
    });
    await Promise.all(
      orphans.map((info) =>
        this.docker
          .getContainer(info.Id)
          .remove({ force: true })
          .catch((error: unknown) => {
            if (statusCodeOf(error) !== 404 && statusCodeOf(error) !== 409) throw error;
          }),
      ),
    );
    return orphans.map((info) => info.Id);
  }

  /** Stops every container this sandbox started; nothing is left running. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([
      this.pool.close(),
      ...[...this.running].map((container) => container.kill()),
      ...this.disposals,
    ]);
  }

  /** Throws SandboxUnavailableError, with what to do about it, when the Docker engine cannot be reached. */
  async requireEngine(): Promise<void> {
    const engine = await probeDockerEngine(this.options.env ?? process.env);
    if (!engine.reachable) throw new SandboxUnavailableError(engine.error ?? 'Docker engine not reachable');
  }

  private async startContainerOrExplain(language: SandboxLanguage, workspaceDir?: string): Promise<SandboxContainer> {
    try {
      return await this.startContainer({ language, workspaceDir });
    } catch (error) {
      if (error instanceof SandboxUnavailableError) throw error;
      const engine = await probeDockerEngine(this.options.env ?? process.env);
      if (!engine.reachable) throw new SandboxUnavailableError(engine.error ?? 'Docker engine not reachable');
      throw error;
    }
  }

  private async startContainer(key: { language: SandboxLanguage; workspaceDir?: string }): Promise<SandboxContainer> {
    if (this.closed) throw new SandboxUnavailableError('the sandbox is shut down');
    const limits = this.options.limits();
    let image: string;
    try {
      image = await this.images.ensure(key.language, this.options.onBuildProgress);
    } catch (error) {
      const engine = await probeDockerEngine(this.options.env ?? process.env);
      if (!engine.reachable) throw new SandboxUnavailableError(engine.error ?? 'Docker engine not reachable');
      throw error;
    }
    if (key.workspaceDir && !fs.existsSync(key.workspaceDir)) {
      throw new Error(`the sandbox workspace ${key.workspaceDir} does not exist`);
    }
    return SandboxContainer.start(this.docker, {
      image,
      labels: sandboxLabels(this.owner, key.language),
      limits,
      ...(key.workspaceDir ? { workspaceDir: key.workspaceDir } : {}),
    });
  }

  /** Where the engine is, for messages. */
  get endpoint(): string {
    return describeDockerEndpoint(this.options.env ?? process.env);
  }
}

function poolKey(language: SandboxLanguage, workspaceDir?: string): string {
  return JSON.stringify([language, workspaceDir ?? null]);
}

function parsePoolKey(key: string): { language: SandboxLanguage; workspaceDir?: string } {
  const [language, workspaceDir] = JSON.parse(key) as [SandboxLanguage, string | null];
  return workspaceDir ? { language, workspaceDir } : { language };
}

function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function cancelledBeforeStart(durationMs: number): SandboxExecResult {
  return {
    exitCode: 130,
    termination: 'cancelled',
    stdout: '',
    stderr: '',
    truncated: { stdout: 0, stderr: 0 },
    durationMs,
    artifacts: [],
  };
}

function toResult(outcome: RunOutcome, artifacts: SandboxArtifact[], durationMs: number): SandboxExecResult {
  const base = {
    stdout: outcome.stdout.text(),
    stderr: outcome.stderr.text(),
    truncated: { stdout: outcome.stdout.dropped, stderr: outcome.stderr.dropped },
    durationMs,
    artifacts,
  };
  if (outcome.stoppedBy === 'timeout') return { ...base, exitCode: TIMEOUT_EXIT_CODE, termination: 'timeout' };
  if (outcome.stoppedBy === 'cancelled') return { ...base, exitCode: 130, termination: 'cancelled' };
  if (outcome.stoppedBy === 'output-limit') return { ...base, exitCode: 137, termination: 'output-limit' };
  if (!outcome.exit) {
    return outcome.containerOomKilled
      ? { ...base, exitCode: 137, termination: 'out-of-memory', stderr: withOomNote(base.stderr) }
      : {
          ...base,
          exitCode: 137,
          termination: 'exited',
          stderr: `${base.stderr}\n[warroom: the sandbox ended unexpectedly]`,
        };
  }
  if (outcome.exit.outOfMemory) {
    return { ...base, exitCode: outcome.exit.exitCode, termination: 'out-of-memory', stderr: withOomNote(base.stderr) };
  }
  return { ...base, exitCode: outcome.exit.exitCode, termination: 'exited' };
}

function withOomNote(stderr: string): string {
  return `${stderr}${stderr.endsWith('\n') || stderr === '' ? '' : '\n'}[warroom: killed: out of memory (the sandbox memory limit was reached)]\n`;
}

/** Copies the artifacts the program wrote to its output folder into the host directory. */
function writeArtifacts(
  outcome: RunOutcome,
  artifactsDir: string,
  onOutput: SandboxExecOptions['onOutput'],
  /** Set when the folder is a run's: artifacts then say where they are inside it. */
  storedPrefix?: string,
): SandboxArtifact[] {
  const written: SandboxArtifact[] = [];
  const root = path.resolve(artifactsDir);
  for (const artifact of outcome.artifacts) {
    if (written.length >= MAX_ARTIFACT_FILES) {
      onOutput?.('stderr', `[warroom: artifact ${artifact.path} not kept: more than ${MAX_ARTIFACT_FILES} files]\n`);
      continue;
    }
    const hostPath = path.resolve(root, artifact.path);
    // The path comes from inside the sandbox: it must not climb out of the artifacts folder.
    if (!hostPath.startsWith(root + path.sep)) continue;
    if (artifact.skipped) {
      onOutput?.('stderr', `[warroom: artifact ${artifact.path} not kept: ${artifact.skipped}]\n`);
      continue;
    }
    fs.mkdirSync(path.dirname(hostPath), { recursive: true });
    fs.writeFileSync(hostPath, artifact.data);
    written.push({
      path: artifact.path,
      sizeBytes: artifact.data.length,
      mediaType: artifactMediaType(artifact.path),
      hostPath,
      ...(storedPrefix === undefined
        ? {}
        : {
            stored: [storedPrefix, path.relative(root, hostPath).split(path.sep).join('/')].filter(Boolean).join('/'),
          }),
    });
  }
  return written.sort((a, b) => a.path.localeCompare(b.path));
}
