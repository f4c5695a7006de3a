import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkflow } from '../../engine/testing/workflow-builder';
import {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
  type FakeRequest,
} from '../../llm/testing/fake-anthropic-server';

/** The real `warroom` CLI process (from source through tsx), killed with SIGKILL mid-run and resumed. */
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const cliEntry = path.join(repoRoot, 'src-main/host/cli/main.ts');
const promptOf = (request: FakeRequest) =>
  String((request.body.messages[0]?.content as Array<{ text: string }>)[0]?.text);

describe('warroom run / runs resume as processes', () => {
  let dir: string;
  let server: FakeAnthropicServer;
  const children: ChildProcess[] = [];

  const cli = (args: string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        WARROOM_HOME: path.join(dir, 'profile'),
        WARROOM_EMBEDDER: 'none',
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: server.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, output: () => output };
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-cli-process-'));
    server = await startFakeAnthropicServer();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finishes a run after kill -9 with `warroom runs resume`, without repeating model calls', async () => {
    const workflowFile = path.join(dir, 'pipeline.json');
    fs.writeFileSync(
      workflowFile,
      JSON.stringify(
        buildWorkflow(
          [
            ['task', 'input', { name: 'task' }],
            ['plan', 'agent', { prompt: 'Plan {{in}}', model: 'claude-sonnet-4-6' }],
            ['build', 'agent', { prompt: 'Build {{in}}', model: 'claude-sonnet-4-6' }],
            ['result', 'output', { name: 'result' }],
          ],
          ['task.value -> plan.in', 'plan.out -> build.in', 'build.out -> result.value'],
        ),
      ),
    );
    let hang = true;
    server.setScript((request) =>
      promptOf(request).startsWith('Plan')
        ? { text: 'the plan' }
        : hang
          ? { text: 'late', delayMs: 60_000 }
          : { text: 'built it' },
    );
    const first = cli(['run', workflowFile, '--project', dir, '--input', 'task=tea', '--json']);
    const deadline = Date.now() + 25_000;
    while (server.requests.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests.map(promptOf)).toEqual(['Plan tea', 'Build the plan']);
    first.child.kill('SIGKILL');
    await first.exited;
    const runId = String((JSON.parse(first.output().split('\n')[0] ?? '{}') as { runId?: string }).runId);

    hang = false;
    const resumed = cli(['runs', 'resume', runId, '--json']);
    expect(await resumed.exited).toBe(0);
    const events = resumed
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; nodeId: string | null; data: Record<string, unknown> });
    expect(events[0]?.type).toBe('run.resumed');
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', data: { outputs: { result: 'built it' } } });
    // The resumed pass repeats only the call that never finished, then synthesizes the run into memory.
    expect(server.requests.map(promptOf)).toEqual([
      'Plan tea',
      'Build the plan',
      'Build the plan',
      expect.stringMatching(/^Goal: test-workflow: {"task":"tea"}/),
    ]);

    const shown = cli(['runs', 'show', runId]);
    expect(await shown.exited).toBe(0);
    expect(shown.output()).toContain('status: completed');
  }, 60_000);
});
