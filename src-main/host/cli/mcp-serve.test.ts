import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWarRoom } from '../../app';
import { branchWorkflow, chainWorkflow } from '../../engine/testing/workflow-builder';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import { makeTempProfile } from '../../testing/temp-profile';

/** `warroom mcp serve` as a process (from source through tsx), driven by the MCP SDK's own client over stdio. */
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const cliEntry = path.join(repoRoot, 'src-main/host/cli/main.ts');

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  JSON.parse((result.content as Array<{ text: string }>)[0]?.text ?? 'null') as Record<string, unknown>;

describe('warroom mcp serve', () => {
  let model: FakeAnthropicServer;
  let profileDir: string;
  let client: Client;

  beforeEach(async () => {
    model = await startFakeAnthropicServer(() => ({ text: 'the agent answered' }));
    profileDir = makeTempProfile('warroom-mcp-serve-');
    fs.mkdirSync(path.join(profileDir, 'project'));
    const app = createWarRoom({ profileDir, host: 'cli', version: 'test', env: {}, memoryEmbedder: null });
    app.workflows.save(chainWorkflow([['agent', 'agent', { prompt: 'Do: {{in}}' }]], 'pipeline'));
    app.workflows.save(branchWorkflow(['gate', 'approval', { prompt: 'Ship it?' }], [['approved', 'result']], 'gated'));
    app.close();
    client = new Client({ name: 'warroom-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', cliEntry, 'mcp', 'serve'],
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? profileDir,
          WARROOM_HOME: profileDir,
          WARROOM_EMBEDDER: 'none',
          ANTHROPIC_API_KEY: 'test-key',
          ANTHROPIC_BASE_URL: model.url,
        },
        stderr: 'ignore',
      }),
    );
  }, 60_000);
  afterEach(async () => {
    await client.close();
    await model.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('lists its tools and workflows, runs a saved workflow to completion with progress, and gets the run', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'approve',
      'get_run',
      'list_workflows',
      'run_workflow',
      'search_memory',
    ]);
    const listed = textOf(await client.callTool({ name: 'list_workflows', arguments: {} }));
    expect(listed.workflows).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'pipeline' }), expect.objectContaining({ id: 'gated' })]),
    );

    const progress: string[] = [];
    const ran = textOf(
      await client.callTool(
        {
          name: 'run_workflow',
          arguments: {
            workflow: 'pipeline',
            inputs: { task: 'write a haiku' },
            projectDir: path.join(profileDir, 'project'),
          },
        },
        undefined,
        { onprogress: (update) => progress.push(update.message ?? ''), timeout: 60_000 },
      ),
    );
    expect(ran).toMatchObject({
      status: 'completed',
      outputs: { result: 'the agent answered' },
      pendingApproval: null,
    });
    expect(ran.costUsd).toBeGreaterThan(0);
    expect(progress).toContain('agent completed');
    expect(JSON.stringify(model.requests[0]?.body.messages)).toContain('Do: write a haiku');

    const fetched = textOf(await client.callTool({ name: 'get_run', arguments: { runId: ran.runId } }));
    expect(fetched).toMatchObject({ runId: ran.runId, status: 'completed', outputs: ran.outputs });

    const memory = textOf(await client.callTool({ name: 'search_memory', arguments: { query: 'haiku', limit: 5 } }));
    expect(memory.hits).toEqual(expect.any(Array));

    const unknown = await client.callTool({ name: 'run_workflow', arguments: { workflow: 'nope' } });
    expect(unknown.isError).toBe(true);
  }, 60_000);

  it('stops at an approval, returns it pending, and finishes after `approve`', async () => {
    const waiting = textOf(
      await client.callTool({
        name: 'run_workflow',
        arguments: { workflow: 'gated', inputs: { task: 'v1.0' }, projectDir: path.join(profileDir, 'project') },
      }),
    );
    expect(waiting).toMatchObject({
      status: 'waiting',
      pendingApproval: { nodeId: 'gate', prompt: 'Ship it?', payload: 'v1.0' },
    });
    const done = textOf(
      await client.callTool({
        name: 'approve',
        arguments: { runId: waiting.runId, nodeId: 'gate', decision: 'edit', payload: 'v1.1' },
      }),
    );
    expect(done).toMatchObject({ status: 'completed', outputs: { result: 'v1.1' } });
  }, 60_000);
});
