import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { startCliProcess } from '../../testing/cli-process';
import { repoRoot } from '../../testing/crash/cli-bundle';
import {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
  type FakeRequest,
} from '../../llm/testing/fake-anthropic-server';

/** The real `warroom` CLI process (from source through tsx), killed with SIGKILL mid-run and resumed. */
const cliEntry = path.join(repoRoot, 'src-main/host/cli/main.ts');
const promptOf = (request: FakeRequest) =>
  String((request.body.messages[0]?.content as Array<{ text: string }>)[0]?.text);

describe('warroom run / runs resume as processes', () => {
  let dir: string;
  let server: FakeAnthropicServer;
  const children: ChildProcess[] = [];

  const cli = (args: string[]) => {
    const { child, output } = startCliProcess(args, {
      entry: ['--import', 'tsx', cliEntry],
      profileDir: path.join(dir, 'profile'),
      modelUrl: server.url,
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, output };
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
        chainWorkflow([
          ['plan', 'agent', { prompt: 'Plan {{in}}', model: 'claude-sonnet-4-6' }],
          ['build', 'agent', { prompt: 'Build {{in}}', model: 'claude-sonnet-4-6' }],
        ]),
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
