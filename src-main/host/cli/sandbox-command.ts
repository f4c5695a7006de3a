import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { ImageBuildEvent } from '@shared/sandbox';
import type { WarRoom } from '../../app';
import { DockerSandbox } from '../../sandbox/docker-sandbox';
import { imageExists, OFFLINE_BASE_IMAGE, SANDBOX_LANGUAGES } from '../../sandbox/images';
import type { SandboxLanguage, SandboxOutputStream } from '../../sandbox/port';
import { auditSandboxExecution } from '../../engine/audit-records';
import { openCliApp, processIo, type CliIo } from './cli-app';

/** Where the sandbox commands read and write (stdin: the code to run). */
export type SandboxCommandIo = CliIo;

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600) {
    throw new InvalidArgumentError('must be a number of seconds from 1 to 3600');
  }
  return seconds;
}

async function withApp<T>(io: SandboxCommandIo, use: (app: WarRoom) => Promise<T>): Promise<T> {
  const app = openCliApp(io.env);
  try {
    return await use(app);
  } finally {
    await app.sandbox.close();
    app.close();
  }
}

/** A progress bar per image on a terminal; plain lines for logs and pipes. */
function buildProgressReporter(io: SandboxCommandIo) {
  if (!io.stderr.isTTY) {
    return {
      onProgress: (event: ImageBuildEvent) => {
        if (event.done || event.totalSteps === 0 || /^Step \d+\/\d+ :/.test(event.message)) {
          io.stderr.write(`${event.image}: ${event.message}\n`);
        }
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: '{image} [{bar}] {value}/{total} {message}',
      hideCursor: true,
      stream: io.stderr,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let current = '';
  return {
    onProgress: (event: ImageBuildEvent) => {
      const message = event.message.split('\n')[0]?.slice(0, 60) ?? '';
      if (event.image !== current) {
        if (current) bar.stop();
        current = event.image;
        bar.start(Math.max(event.totalSteps, 1), event.step, { image: event.image, message });
      }
      if (event.totalSteps > 0) bar.setTotal(event.totalSteps);
      bar.update(event.done ? Math.max(event.totalSteps, 1) : event.step, { message });
    },
    stop: () => {
      if (current) bar.stop();
    },
  };
}

async function readProgram(source: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (source !== '-') return fs.readFileSync(source, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** What `exec` still owes the user of a stream whose middle was cut: a notice and the part not yet shown. */
export interface UnshownTail {
  notice: string;
  text: string;
}

/**
 * The sandbox streams a stream's first `streamedBytes` and keeps its last part (`keptTail`, after
 * `truncatedBytes` dropped from the head). The program's last lines and errors are in that tail, so it is
 * printed after the live output: all of it when a middle part was never seen, or only its unseen end when
 * the streamed head and the kept tail overlap (output just over the cap).
 */
export function unshownTail(
  stream: SandboxOutputStream,
  streamedBytes: number,
  truncatedBytes: number,
  keptTail: string,
): UnshownTail | null {
  if (truncatedBytes === 0) return null;
  const tail = Buffer.from(keptTail, 'utf8');
  const cutBytes = truncatedBytes - streamedBytes;
  if (cutBytes > 0) {
    return {
      notice: `[warroom: ${cutBytes} bytes of ${stream} were cut; its last ${tail.length} bytes follow]\n`,
      text: keptTail,
    };
  }
  const unseen = tail.subarray(Math.min(tail.length, -cutBytes));
  if (unseen.length === 0) return null;
  return {
    notice: `[warroom: nothing of ${stream} was cut; its last ${unseen.length} bytes follow]\n`,
    text: unseen.toString('utf8'),
  };
}

function languageFromFileName(source: string): SandboxLanguage | undefined {
  if (/\.py$/i.test(source)) return 'python';
  if (/\.(c|m)?js$/i.test(source)) return 'node';
  return undefined;
}

export function registerSandboxCommands(program: Command, io: SandboxCommandIo = processIo): void {
  const sandbox = program.command('sandbox').description('build, check and use the Docker sandbox for agent code');

  sandbox
    .command('build')
    .description('build the sandbox images (only missing ones unless --force), with progress')
    .addOption(new Option('--image <language>', 'build only this image').choices([...SANDBOX_LANGUAGES]))
    .option('--force', 'rebuild even when the image exists')
    .action(async (options: { image?: SandboxLanguage; force?: boolean }) => {
      await withApp(io, async (app) => {
        const progress = buildProgressReporter(io);
        try {
          for (const language of options.image ? [options.image] : SANDBOX_LANGUAGES) {
            const tag = await app.sandbox.buildImage(language, progress.onProgress, options.force ?? false);
            progress.stop();
            io.stdout.write(`${language}: ${tag}\n`);
          }
        } finally {
          progress.stop();
        }
      });
    });

  sandbox
    .command('doctor')
    .description('check the Docker engine, the sandbox images and the limits in use')
    .action(async () => {
      await withApp(io, async (app) => {
        const status = await app.sandbox.status();
        const lines = [
          status.engine.reachable
            ? `OK    Docker engine   ${status.engine.endpoint} (Docker ${status.engine.version ?? '?'})`
            : `FAIL  Docker engine   ${status.engine.error ?? 'not reachable'}`,
        ];
        for (const image of status.images) {
          lines.push(
            image.present
              ? `OK    ${`${image.language} image`.padEnd(16)}${image.tag}`
              : `WARN  ${`${image.language} image`.padEnd(16)}${image.tag} is not built yet (warroom sandbox build)`,
          );
        }
        if (status.engine.reachable) {
          const offlineBase = await imageExists(app.sandbox.docker, OFFLINE_BASE_IMAGE);
          const debootstrap = spawnSync('sh', ['-c', 'command -v debootstrap'], { encoding: 'utf8' }).status === 0;
          lines.push(
            offlineBase
              ? `OK    offline base    ${OFFLINE_BASE_IMAGE}`
              : `INFO  offline base    not built; ${debootstrap ? 'debootstrap is available to make it' : 'needs debootstrap (only for machines without registry access)'}`,
          );
        }
        const limits = app.settings.get().sandbox;
        lines.push(
          `INFO  limits          ${limits.memoryMb} MB memory, ${limits.cpus} CPU, ${limits.pidsLimit} processes, ` +
            `${limits.timeoutSeconds} s timeout, ${limits.outputCapKb} KiB output per stream, ` +
            `${limits.tmpfsMb} MB tmpfs, warm pool ${limits.warmPoolSize}, images from ${limits.imageSource}`,
        );
        io.stdout.write(`${lines.join('\n')}\n`);
        io.setExitCode(status.engine.reachable ? 0 : 1);
      });
    });

  sandbox
    .command('exec')
    .description("run one program in the sandbox with the configured limits; exits with the program's exit code")
    .argument('<file>', 'program file, or - to read it from stdin')
    .addOption(
      new Option('--image <language>', 'sandbox image (default: from the file name, else python)').choices([
        ...SANDBOX_LANGUAGES,
      ]),
    )
    .option('--timeout <seconds>', 'wall-clock limit (exit code 124 when reached)', parseSeconds)
    .action(async (source: string, options: { image?: SandboxLanguage; timeout?: number }) => {
      const code = await readProgram(source, io.stdin);
      const language = options.image ?? languageFromFileName(source) ?? 'python';
      await withApp(io, async (app) => {
        // A one-off run: no warm pool to start and tear down again.
        const runner = new DockerSandbox({
          profileDir: app.info().profileDir,
          env: io.env,
          limits: () => ({ ...app.settings.get().sandbox, warmPoolSize: 0 }),
        });
        const controller = new AbortController();
        const cancel = () => controller.abort();
        process.once('SIGINT', cancel);
        try {
          const progress = buildProgressReporter(io);
          await runner.requireEngine();
          // Progress shows only when the image is missing and gets built.
          await runner.images.ensure(language, progress.onProgress).finally(() => progress.stop());
          const capBytes = app.settings.get().sandbox.outputCapKb * 1024;
          const streamed = { stdout: 0, stderr: 0 };
          const result = await runner.execute(
            { language, code, ...(options.timeout ? { timeoutMs: options.timeout * 1000 } : {}) },
            {
              signal: controller.signal,
              onOutput: (stream, chunk) => {
                // The sandbox streams up to the cap, then sends one notice of its own: not program output.
                if (streamed[stream] < capBytes) streamed[stream] += Buffer.byteLength(chunk, 'utf8');
                (stream === 'stdout' ? io.stdout : io.stderr).write(chunk);
              },
            },
          );
          auditSandboxExecution({ audit: app.audit, runId: null, nodeId: null }, language, code, result);
          for (const stream of ['stdout', 'stderr'] as const) {
            const tail = unshownTail(stream, streamed[stream], result.truncated[stream], result[stream]);
            if (tail) {
              io.stderr.write(tail.notice);
              (stream === 'stdout' ? io.stdout : io.stderr).write(tail.text);
            }
          }
          if (result.termination === 'timeout') {
            io.stderr.write(`[warroom: timed out after ${(result.durationMs / 1000).toFixed(1)} s]\n`);
          }
          if (result.termination === 'out-of-memory') {
            io.stderr.write('[warroom: killed: out of memory (the sandbox memory limit was reached)]\n');
          }
          io.setExitCode(result.exitCode);
        } finally {
          process.removeListener('SIGINT', cancel);
          await runner.close();
        }
      });
    });
}
