import { createHash } from 'node:crypto';
import { ORPCError } from '@orpc/server';
import { SandboxErrorCode, type SandboxExecEvent } from '@shared/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { requireDockerEngine } from '../../sandbox/testing/sandbox-fixture';
import { throwawayApps } from '../../testing/test-app';

const apps = throwawayApps('warroom-sandbox-api-', (app) => app.sandbox.close());
const openApp = (env: NodeJS.ProcessEnv = process.env) => apps.open(env).client;
afterEach(() => apps.closeAll());

describe('sandbox API', () => {
  it(
    'builds images with progress, reports status and streams an execution',
    async () => {
      await requireDockerEngine();
      const client = openApp();
      const progress = [];
      for await (const event of await client.sandbox.build({ languages: ['python'] })) progress.push(event);
      expect(progress.at(-1)?.done).toBe(true);
      const status = await client.sandbox.status();
      expect(status.engine.reachable).toBe(true);
      expect(status.images.find((image) => image.language === 'python')?.present).toBe(true);

      const events: SandboxExecEvent[] = [];
      const code = 'import sys\nprint("to stdout")\nprint("to stderr", file=sys.stderr)\nsys.exit(2)';
      for await (const event of await client.sandbox.exec({ language: 'python', code })) events.push(event);
      expect(events.filter((event) => event.type === 'output')).toEqual([
        { type: 'output', stream: 'stdout', chunk: 'to stdout\n' },
        { type: 'output', stream: 'stderr', chunk: 'to stderr\n' },
      ]);
      expect(events.at(-1)).toMatchObject({ type: 'result', result: { exitCode: 2, termination: 'exited' } });
    },
    20 * 60_000,
  );

  it(
    'records an execution through the API in the audit log, as the user',
    async () => {
      await requireDockerEngine();
      const { app, client } = apps.open(process.env);
      const code = 'print("audited")';
      for await (const event of await client.sandbox.exec({ language: 'python', code })) void event;
      expect(app.audit.list({ kinds: ['sandbox.exec'] }).entries).toMatchObject([
        {
          actor: 'user',
          runId: null,
          details: {
            language: 'python',
            image: app.sandbox.images.tagFor('python'),
            codeSha256: createHash('sha256').update(code).digest('hex'),
            exitCode: 0,
          },
        },
      ]);
    },
    20 * 60_000,
  );

  it('answers a missing Docker engine with a typed, actionable error', async () => {
    const client = openApp({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    const status = await client.sandbox.status();
    expect(status.engine).toMatchObject({ reachable: false, endpoint: 'unix:///nonexistent/docker.sock' });
    const execution = (async () => {
      for await (const event of await client.sandbox.exec({ language: 'python', code: 'print(1)' })) void event;
    })();
    await expect(execution).rejects.toBeInstanceOf(ORPCError);
    await expect(execution).rejects.toMatchObject({
      code: SandboxErrorCode.Unavailable,
      message: expect.stringMatching(/Docker engine not reachable .*set DOCKER_HOST/),
    });
  });
});
