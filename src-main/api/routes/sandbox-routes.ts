import type { ImageBuildEvent, SandboxExecEvent } from '@shared/sandbox';
import type { WarRoom } from '../../app';
import { SANDBOX_LANGUAGES } from '../../sandbox/images';
import type { ApiImplementer } from '../implementer';
import { auditSandboxExecution } from '../../engine/audit-records';

/**
 * Turns callback-style progress into an async stream: `run` pushes events while it works; the stream ends
 * when it settles (rethrowing its error) or when the subscriber goes away.
 */
async function* streamOf<T>(run: (push: (event: T) => void) => Promise<void>, signal?: AbortSignal): AsyncGenerator<T> {
  const queue: T[] = [];
  let wake: (() => void) | null = null;
  let settled = false;
  let failure: unknown = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  void run((event) => {
    queue.push(event);
    notify();
  }).then(
    () => {
      settled = true;
      notify();
    },
    (error: unknown) => {
      failure = error ?? new Error('failed');
      settled = true;
      notify();
    },
  );
  signal?.addEventListener('abort', notify, { once: true });
  for (;;) {
    const next = queue.shift();
    if (next !== undefined) {
      yield next;
      continue;
    }
    if (failure) throw failure;
    if (settled || signal?.aborted) return;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

export function sandboxRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    status: os.sandbox.status.handler(() => app.sandbox.status()),
    // Failures found before the stream starts travel as typed API errors; check what can be checked up front.
    build: os.sandbox.build.handler(async ({ input, signal }) => {
      await app.sandbox.requireEngine();
      return streamOf<ImageBuildEvent>(async (push) => {
        for (const language of input.languages ?? SANDBOX_LANGUAGES) {
          await app.sandbox.buildImage(language, push, input.force ?? false);
        }
      }, signal);
    }),
    // Ending the subscription cancels the execution.
    exec: os.sandbox.exec.handler(async ({ input, signal }) => {
      await app.sandbox.buildImage(input.language);
      return streamOf<SandboxExecEvent>(async (push) => {
        const result = await app.sandbox.execute(
          {
            language: input.language,
            code: input.code,
            ...(input.stdin === undefined ? {} : { stdin: input.stdin }),
            ...(input.timeoutSeconds === undefined ? {} : { timeoutMs: input.timeoutSeconds * 1000 }),
          },
          { ...(signal ? { signal } : {}), onOutput: (stream, chunk) => push({ type: 'output', stream, chunk }) },
        );
        auditSandboxExecution({ audit: app.audit, runId: null, nodeId: null }, input.language, input.code, result);
        push({ type: 'result', result });
      }, signal);
    }),
  };
}
