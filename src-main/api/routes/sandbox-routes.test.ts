import { createRouterClient, ORPCError } from '@orpc/server';
import { SandboxErrorCode, type SandboxExecEvent } from '@shared/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWarRoom, type WarRoom } from '../../app';
import { requireDockerEngine } from '../../sandbox/testing/sandbox-fixture';
import { createRouter } from '../router';

const opened: { app: WarRoom; profileDir: string }[] = [];

function openApp(env: NodeJS.ProcessEnv = process.env) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-sandbox-api-'));
  const app = createWarRoom({ profileDir, host: 'browser', version: 'test', env, memoryEmbedder: null });
  opened.push({ app, profileDir });
  return createRouterClient(createRouter(app, { logError: () => {} }));
}

afterEach(async () => {
  for (const { app, profileDir } of opened.splice(0)) {
    await app.sandbox.close();
    app.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
});

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
