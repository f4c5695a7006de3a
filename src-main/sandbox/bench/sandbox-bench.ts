/**
 * `npm run bench:sandbox`: on the same image, how long a trivial program takes through
 * (a) `docker run --rm` with the Docker CLI, (b) a cold start through the runner, (c) the warm pool.
 * Prints p50/p95 of each and the ratios. BENCH_ITERATIONS sets the sample size (default 20).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DockerSandbox, LABEL, type SandboxLimits } from '../docker-sandbox';

const run = promisify(execFile);
const ITERATIONS = Math.max(3, Number(process.env.BENCH_ITERATIONS ?? 20));
const PROGRAM = 'print("ok")';
const TARGET_SPEEDUP = 5;
const TARGET_WARM_P50_MS = 20;

const LIMITS: SandboxLimits = {
  timeoutSeconds: 30,
  memoryMb: 512,
  cpus: 1,
  pidsLimit: 128,
  tmpfsMb: 64,
  outputCapKb: 1024,
  warmPoolSize: 0,
  idleTimeoutSeconds: 600,
  imageSource: 'auto',
};

function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
}

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

async function sample(name: string, measure: () => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  process.stderr.write(`${name}: `);
  for (let index = 0; index < ITERATIONS; index++) {
    samples.push(await measure());
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  return samples;
}

async function main(): Promise<void> {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-sandbox-bench-'));
  const cold = new DockerSandbox({ profileDir, limits: () => LIMITS });
  const warm = new DockerSandbox({ profileDir, limits: () => ({ ...LIMITS, warmPoolSize: 1 }) });
  try {
    await cold.requireEngine();
    const image = await cold.buildImage('python', (event) => {
      if (!event.done) process.stderr.write(`build: ${event.message}\n`);
    });
    const expectOk = (stdout: string) => {
      if (stdout !== 'ok\n') throw new Error(`unexpected output ${JSON.stringify(stdout)}`);
    };

    const dockerRun = await sample('docker run --rm', () =>
      timed(async () => {
        const { stdout } = await run('docker', [
          'run',
          '--rm',
          '--network',
          'none',
          '--label',
          `${LABEL.profile}=${profileDir}`,
          '--entrypoint',
          'python3',
          image,
          '-c',
          PROGRAM,
        ]);
        expectOk(stdout);
      }),
    );
    const coldRuns = await sample('runner, cold start', () =>
      timed(async () => expectOk((await cold.execute({ language: 'python', code: PROGRAM })).stdout)),
    );
    warm.warmUp('python');
    const warmRuns = await sample('runner, warm pool', async () => {
      // Measure the execution only: between runs the pool refills and the used container goes, as happens
      // between the steps of an agent.
      await warm.settled();
      return timed(async () => expectOk((await warm.execute({ language: 'python', code: PROGRAM })).stdout));
    });

    const rows = [
      ['(a) docker run --rm (CLI)', dockerRun],
      ['(b) runner, cold start', coldRuns],
      ['(c) runner, warm pool', warmRuns],
    ] as const;
    console.log(`\nSandbox benchmark: ${ITERATIONS} runs each of ${JSON.stringify(PROGRAM)} on ${image}\n`);
    console.log(`${'path'.padEnd(28)}${'p50 ms'.padStart(10)}${'p95 ms'.padStart(10)}`);
    for (const [name, samples] of rows) {
      console.log(
        `${name.padEnd(28)}${percentile(samples, 0.5).toFixed(1).padStart(10)}${percentile(samples, 0.95).toFixed(1).padStart(10)}`,
      );
    }
    const warmP50 = percentile(warmRuns, 0.5);
    const speedupVsDockerRun = percentile(dockerRun, 0.5) / warmP50;
    const speedupVsCold = percentile(coldRuns, 0.5) / warmP50;
    console.log(`\nwarm vs docker run (p50): ${speedupVsDockerRun.toFixed(1)}x faster`);
    console.log(`warm vs cold start (p50): ${speedupVsCold.toFixed(1)}x faster`);
    console.log(
      `target (warm p50 >= ${TARGET_SPEEDUP}x faster than docker run and < ${TARGET_WARM_P50_MS} ms): ` +
        (speedupVsDockerRun >= TARGET_SPEEDUP && warmP50 < TARGET_WARM_P50_MS ? 'met' : 'MISSED'),
    );
  } finally {
    await Promise.all([cold.close(), warm.close()]);
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
