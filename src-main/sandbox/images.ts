import type Docker from 'dockerode';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageBuildEvent } from '@shared/sandbox';
import type { SandboxLanguage } from './port';

export type ImageSource = 'auto' | 'public' | 'offline';

/** The base image the offline script makes from Debian packages (sandbox-images/offline-base). */
export const OFFLINE_BASE_IMAGE = 'warroom-sandbox-base:bookworm';
const OFFLINE_BASE_SCRIPT = path.join('offline-base', 'build-offline-base.sh');

/** Build arguments when building on the offline base (its Debian packages replace pip's). */
function offlineBuildArgs(baseImage: string): Record<string, string> {
  return { BASE: baseImage, PIP_PACKAGES: '' };
}

export const SANDBOX_LANGUAGES: readonly SandboxLanguage[] = ['python', 'node'];

export class ImageBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageBuildError';
  }
}

/**
 * Finds sandbox-images/ by walking up from this module: the same code runs from src-main/sandbox (tests)
 * and from the bundled out/main (CLI, desktop), which sit at different depths.
 */
export function findSandboxImagesDir(start = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'sandbox-images');
    // In a packaged app the folder is unpacked beside the asar archive, where Docker and bash can read it.
    const unpacked = candidate.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
    if (unpacked !== candidate && fs.existsSync(path.join(unpacked, 'python', 'Dockerfile'))) return unpacked;
    if (fs.existsSync(path.join(candidate, 'python', 'Dockerfile'))) return candidate;
    if (path.dirname(dir) === dir) throw new ImageBuildError(`sandbox-images/ not found above ${start}`);
  }
}

/**
 * The image tag for a language, named after a hash of its build context: changing the Dockerfile or the
 * runner yields a new tag, so an outdated image is never used by mistake.
 */
export function imageTag(imagesDir: string, language: SandboxLanguage): string {
  const contextDir = path.join(imagesDir, language);
  const hash = crypto.createHash('sha256');
  for (const file of fs.readdirSync(contextDir).sort()) {
    hash
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(contextDir, file)))
      .update('\0');
  }
  return `warroom-sandbox-${language}:${hash.digest('hex').slice(0, 12)}`;
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (error) {
    if (statusCodeOf(error) === 404) return false;
    throw error;
  }
}

export function statusCodeOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number'
    ? error.statusCode
    : undefined;
}

interface BuildStreamEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export interface ImageBuilderOptions {
  docker: Docker;
  /** Where sandbox-images/ is; asked only when an image is needed, so a build without it still starts. */
  imagesDir: () => string;
  source: () => ImageSource;
  /** The offline base image's tag; OFFLINE_BASE_IMAGE unless a test isolates its own. */
  offlineBaseImage?: string;
  /** Runs the offline base script; tests and other hosts may replace it. */
  runOfflineBaseScript?: (scriptPath: string, tag: string, onLine: (line: string) => void) => Promise<void>;
}

/**
 * Builds the sandbox images through the Docker API, from public bases or from the offline Debian base,
 * and reports progress. Concurrent requests for the same image share one build.
 */
export class ImageBuilder {
  private readonly inFlight = new Map<string, Promise<string>>();

  private readonly offlineBase: string;

  constructor(private readonly options: ImageBuilderOptions) {
    this.offlineBase = options.offlineBaseImage ?? OFFLINE_BASE_IMAGE;
  }

  tagFor(language: SandboxLanguage): string {
    return imageTag(this.options.imagesDir(), language);
  }

  /** The tag of a ready image for the language, building it first when missing. */
  ensure(language: SandboxLanguage, onProgress: (event: ImageBuildEvent) => void = () => {}): Promise<string> {
    const tag = this.tagFor(language);
    const running = this.inFlight.get(tag);
    if (running) return running;
    const build = (async () => {
      if (await imageExists(this.options.docker, tag)) return tag;
      await this.build(language, onProgress);
      return tag;
    })().finally(() => this.inFlight.delete(tag));
    this.inFlight.set(tag, build);
    return build;
  }

  /** Builds the language's image now, whether or not it exists. */
  async build(language: SandboxLanguage, onProgress: (event: ImageBuildEvent) => void = () => {}): Promise<string> {
    const tag = this.tagFor(language);
    const source = this.options.source();
    const offlineBaseReady = source !== 'public' && (await imageExists(this.options.docker, this.offlineBase));
    if (source === 'offline' || offlineBaseReady) {
      if (!offlineBaseReady) await this.buildOfflineBase(onProgress);
      await this.buildFromDockerfile(language, tag, offlineBuildArgs(this.offlineBase), onProgress);
      return tag;
    }
    try {
      await this.buildFromDockerfile(language, tag, {}, onProgress);
    } catch (error) {
      if (source === 'public' || !(error instanceof BaseImageUnavailableError)) throw error;
      onProgress({
        image: tag,
        step: 0,
        totalSteps: 0,
        message: `${error.message}; using the offline base`,
        done: false,
      });
      await this.buildOfflineBase(onProgress);
      await this.buildFromDockerfile(language, tag, offlineBuildArgs(this.offlineBase), onProgress);
    }
    return tag;
  }

  /** Makes the offline Debian base image (debootstrap + docker import) unless it exists. */
  async buildOfflineBase(onProgress: (event: ImageBuildEvent) => void = () => {}): Promise<void> {
    if (await imageExists(this.options.docker, this.offlineBase)) return;
    const script = path.join(this.options.imagesDir(), OFFLINE_BASE_SCRIPT);
    const run = this.options.runOfflineBaseScript ?? runScript;
    const report = (message: string, done: boolean) =>
      onProgress({ image: this.offlineBase, step: 0, totalSteps: 0, message, done });
    report('making the offline base image from Debian packages (debootstrap)', false);
    await run(script, this.offlineBase, (line) => report(line, false));
    report('offline base image ready', true);
  }

  private async buildFromDockerfile(
    language: SandboxLanguage,
    tag: string,
    buildargs: Record<string, string>,
    onProgress: (event: ImageBuildEvent) => void,
  ): Promise<void> {
    const context = path.join(this.options.imagesDir(), language);
    const stream = await this.options.docker.buildImage(
      { context, src: fs.readdirSync(context) },
      { t: tag, buildargs, labels: { 'warroom.sandbox-image': language }, rm: true, forcerm: true },
    );
    let step = 0;
    let totalSteps = 0;
    let instruction = '';
    let lastLines: string[] = [];
    // Docker reports build failures inside the 200 response, as `error` events in the stream.
    await new Promise<void>((resolve, reject) => {
      let failure: Error | null = null;
      let buffered = '';
      const handle = (event: BuildStreamEvent) => {
        if (event.error || event.errorDetail) {
          const message = event.errorDetail?.message ?? event.error ?? 'unknown error';
          const detail = [...lastLines, message].join('\n');
          failure =
            instruction === 'FROM'
              ? new BaseImageUnavailableError(`the base image for ${language} is not available: ${message}`)
              : new ImageBuildError(`building ${tag} failed at step ${step}/${totalSteps}:\n${detail}`);
          return;
        }
        const text = (event.stream ?? event.status ?? '').trim();
        if (!text) return;
        const stepMatch = /^Step (\d+)\/(\d+) : (\w+)/.exec(text);
        if (stepMatch) {
          step = Number(stepMatch[1]);
          totalSteps = Number(stepMatch[2]);
          instruction = (stepMatch[3] ?? '').toUpperCase();
        }
        lastLines = [...lastLines, text].slice(-10);
        onProgress({ image: tag, step, totalSteps, message: text, done: false });
      };
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let newline;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (!line) continue;
          try {
            handle(JSON.parse(line) as BuildStreamEvent);
          } catch {
            handle({ stream: line });
          }
        }
      });
      stream.on('error', reject);
      stream.on('end', () => (failure ? reject(failure) : resolve()));
    });
    if (!(await imageExists(this.options.docker, tag))) {
      throw new ImageBuildError(`building ${tag} ended without an image:\n${lastLines.join('\n')}`);
    }
    onProgress({ image: tag, step: totalSteps, totalSteps, message: `built ${tag}`, done: true });
  }
}

/** The FROM step failed: the public base cannot be pulled (offline machine, registry down…). */
class BaseImageUnavailableError extends ImageBuildError {}

function runScript(scriptPath: string, tag: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [scriptPath, tag], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (error) => reject(new ImageBuildError(`could not run ${scriptPath}: ${error.message}`)));
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new ImageBuildError(`the offline base build failed (exit ${code}):\n${tail.join('\n')}`)),
    );
  });
}
