import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { McpServerConfig } from '@shared/mcp';
import type { RunEvent } from '@shared/run-events';
import type { WarRoom } from '../app';
import { buildWorkflow } from '../engine/testing/workflow-builder';
import {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
  type FakeReply,
  type FakeRequest,
} from '../llm/testing/fake-anthropic-server';
import { makeTempProfile } from '../testing/temp-profile';
import { createAppWithFakeModel } from '../testing/test-app';
import { writeMcpServers } from './config';
import { everythingStdio } from './testing/reference-servers';

/** Agents in real runs (the real app, the fake Messages API) calling server-everything's tools. */
const agentWith = (tools: string[]) =>
  buildWorkflow(
    [
      ['task', 'input', { name: 'task' }],
      ['agent', 'agent', { prompt: 'Do: {{in}}', tools }],
      ['result', 'output', { name: 'result' }],
    ],
    ['task.value -> agent.in', 'agent.out -> result.value'],
  );

/** The model calls each tool in turn, one per turn, then answers with what the last tool said. */
const callingTools =
  (...calls: Array<{ name: string; input: Record<string, unknown> }>) =>
  (request: FakeRequest): FakeReply => {
    const turn = request.body.messages.filter((message) => message.role === 'assistant').length;
    const call = calls[turn];
    if (call) return { toolUses: [call] };
    return { text: `done: ${JSON.stringify(request.body.messages.at(-1)?.content).slice(0, 300)}` };
  };

describe('agents using MCP tools in runs', () => {
  let model: FakeAnthropicServer;
  let profileDir: string;
  let projectDir: string;
  const apps: WarRoom[] = [];

  const openApp = () => {
    const app = createAppWithFakeModel(profileDir, model.url);
    apps.push(app);
    return app;
  };
  const configure = (servers: Record<string, McpServerConfig>) =>
    writeMcpServers(path.join(profileDir, 'mcp.json'), servers);
  const collect = async (app: WarRoom, runId: string) => {
    const events: RunEvent[] = [];
    for await (const event of app.runs.events(runId, 0, { follow: false })) events.push(event);
    return events;
  };
  const closeApp = async (app: WarRoom) => {
    await app.runs.shutdown();
    await app.mcp.close();
    app.close();
  };

  beforeEach(async () => {
    model = await startFakeAnthropicServer();
    profileDir = makeTempProfile('warroom-mcp-run-');
    projectDir = path.join(profileDir, 'project');
    fs.mkdirSync(projectDir);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await closeApp(app);
    await model.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('calls an MCP tool from an agent; the model sees its schema; replay makes no MCP call', async () => {
    configure({ everything: everythingStdio() });
    model.setScript(callingTools({ name: 'mcp__everything__echo', input: { message: 'from the agent' } }));
    const app = openApp();
    const calls = vi.spyOn(app.mcp, 'callTool');
    const resolves = vi.spyOn(app.mcp, 'resolveTools');
    const workflow = agentWith(['read_file', 'mcp__everything__echo']);
    const run = await app.runs.wait(app.runs.start({ workflow, projectDir, inputs: { task: 'echo' } }).id);
    expect(run.status).toBe('completed');
    expect(String(run.outputs.result)).toContain('from the agent');
    const sentTools = model.requests[0]?.body.tools as Array<{ name: string; input_schema?: unknown }>;
    expect(sentTools.map((tool) => tool.name)).toEqual(['read_file', 'mcp__everything__echo']);
    expect(sentTools[1]?.input_schema).toMatchObject({ properties: { message: { type: 'string' } } });
    const result = (await collect(app, run.id)).find((event) => event.type === 'tool.result');
    expect(result?.data).toMatchObject({ name: 'mcp__everything__echo', isError: false });
    expect(calls).toHaveBeenCalledTimes(1);
    expect(app.audit.list({ runId: run.id, kinds: ['mcp.call'] }).entries).toMatchObject([
      { nodeId: 'agent', actor: 'agent', details: { server: 'everything', tool: 'echo', isError: false } },
    ]);

    calls.mockClear();
    resolves.mockClear();
    const requestsBefore = model.requests.length;
    const replay = await app.runs.wait(app.runs.replay(run.id).id);
    expect(replay.status).toBe('completed');
    expect(replay.outputs).toEqual(run.outputs);
    expect(calls).not.toHaveBeenCalled();
    expect(resolves).not.toHaveBeenCalled();
    expect(model.requests.length).toBe(requestsBefore);
    expect(app.audit.list({ runId: replay.id }).entries).toEqual([]);
  });

  it('lets a team member use an MCP tool', async () => {
    configure({ everything: everythingStdio() });
    model.setScript((request) => {
      const system =
        typeof request.body.system === 'string' ? request.body.system : JSON.stringify(request.body.system);
      const turn = request.body.messages.filter((message) => message.role === 'assistant').length;
      if (system.includes('You coordinate a team')) {
        return turn === 0
          ? { toolUses: [{ name: 'delegate', input: { role: 'coder', task: 'echo the word cart' } }] }
          : { text: `team: ${JSON.stringify(request.body.messages.at(-1)?.content).slice(0, 300)}` };
      }
      return turn === 0
        ? { toolUses: [{ name: 'mcp__everything__echo', input: { message: 'cart from the member' } }] }
        : { text: `coder: ${JSON.stringify(request.body.messages.at(-1)?.content).slice(0, 300)}` };
    });
    const app = openApp();
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        [
          'crew',
          'team',
          {
            topology: 'hierarchical',
            prompt: '{{in}}',
            members: [{ role: 'coder', tools: ['mcp__everything__echo'] }],
          },
        ],
        ['result', 'output', { name: 'result' }],
      ],
      ['task.value -> crew.in', 'crew.out -> result.value'],
    );
    const run = await app.runs.wait(app.runs.start({ workflow, projectDir, inputs: { task: 'echo' } }).id);
    expect(run.status).toBe('completed');
    expect(String(run.outputs.result)).toContain('cart from the member');
    const memberCall = (await collect(app, run.id)).find(
      (event) => event.type === 'tool.result' && event.nodeId === 'crew/1.1',
    );
    expect(memberCall?.data).toMatchObject({ name: 'mcp__everything__echo', isError: false });
  });

  it('keeps a ${secret:…} value out of events, the journal and the model', async () => {
    const secret = 'sk-local-abcdef0123456789';
    configure({ everything: everythingStdio({ env: { SERVICE_TOKEN: '${secret:localEndpointApiKey}' } }) });
    model.setScript(callingTools({ name: 'mcp__everything__get-env', input: {} }));
    const app = openApp();
    app.secrets.set('localEndpointApiKey', secret);
    const run = await app.runs.wait(
      app.runs.start({ workflow: agentWith(['mcp__everything__get-env']), projectDir, inputs: { task: 'env' } }).id,
    );
    expect(run.status).toBe('completed');
    const events = JSON.stringify(await collect(app, run.id));
    expect(events).toContain('SERVICE_TOKEN');
    expect(events).not.toContain(secret);
    expect(JSON.stringify(model.requests.map((request) => request.body))).not.toContain(secret);
    // WAL mode: recent writes are in the -wal file until a checkpoint.
    for (const file of ['warroom.db', 'warroom.db-wal'].map((name) => path.join(profileDir, name))) {
      if (fs.existsSync(file)) expect(fs.readFileSync(file).toString('latin1')).not.toContain(secret);
    }
  });

  it('cancels a slow MCP tool when the run is cancelled', async () => {
    configure({ everything: everythingStdio() });
    model.setScript(
      callingTools({ name: 'mcp__everything__trigger-long-running-operation', input: { duration: 30, steps: 30 } }),
    );
    const app = openApp();
    const started = app.runs.start({
      workflow: agentWith(['mcp__everything__trigger-long-running-operation']),
      projectDir,
      inputs: { task: 'wait' },
    });
    for await (const event of app.runs.events(started.id, 0, { follow: true })) {
      if (event.type === 'tool.call') break;
    }
    const cancelledAt = Date.now();
    app.runs.cancel(started.id);
    const run = await app.runs.wait(started.id);
    expect(run.status).toBe('cancelled');
    expect(Date.now() - cancelledAt).toBeLessThan(3000);
    // The server is still usable after the cancelled call.
    const echo = await app.mcp.callTool({
      runId: 'check',
      projectDir,
      server: 'everything',
      tool: 'echo',
      input: { message: 'alive' },
      signal: new AbortController().signal,
    });
    expect(echo.content).toContain('alive');
  });

  it('fails a run that needs an untrusted project server, saying why; it runs once the file is approved', async () => {
    fs.writeFileSync(path.join(projectDir, '.mcp.json'), JSON.stringify({ mcpServers: { proj: everythingStdio() } }));
    model.setScript(callingTools({ name: 'mcp__proj__echo', input: { message: 'project tool' } }));
    const app = openApp();
    const workflow = agentWith(['mcp__proj__echo']);
    const refused = await app.runs.wait(app.runs.start({ workflow, projectDir, inputs: { task: 'x' } }).id);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/\.mcp\.json, which you have not approved yet.*Settings → MCP servers/s);
    const [prompt] = app.mcp.trustPrompts();
    app.mcp.decideTrust(projectDir, prompt?.hash ?? '', true);
    const run = await app.runs.wait(app.runs.start({ workflow, projectDir, inputs: { task: 'x' } }).id);
    expect(run.status).toBe('completed');
    expect(String(run.outputs.result)).toContain('project tool');
  });

  it('asks for each of two `ask` calls of one turn in turn; an edit changes the arguments', async () => {
    configure({ everything: everythingStdio({ policy: 'ask' }) });
    model.setScript((request) =>
      request.body.messages.length === 1
        ? {
            toolUses: [
              { name: 'mcp__everything__get-sum', input: { a: 1, b: 1 } },
              { name: 'mcp__everything__get-sum', input: { a: 2, b: 2 } },
            ],
          }
        : { text: JSON.stringify(request.body.messages.at(-1)?.content) },
    );
    const app = openApp();
    const started = app.runs.start({
      workflow: agentWith(['mcp__everything__get-sum']),
      projectDir,
      inputs: { task: 'sums' },
    });
    const asked: unknown[] = [];
    for await (const event of app.runs.events(started.id, 0, { follow: true })) {
      if (event.type !== 'approval.requested') continue;
      asked.push(event.data.payload);
      app.runs.approve(
        started.id,
        'agent',
        asked.length === 1 ? { decision: 'approve' } : { decision: 'edit', payload: { arguments: { a: 20, b: 22 } } },
      );
      if (asked.length === 2) break;
    }
    const run = await app.runs.wait(started.id);
    expect(run.status).toBe('completed');
    expect(asked).toEqual([
      expect.objectContaining({ arguments: { a: 1, b: 1 } }),
      expect.objectContaining({ arguments: { a: 2, b: 2 } }),
    ]);
    expect(String(run.outputs.result)).toContain('The sum of 1 and 1 is 2.');
    expect(String(run.outputs.result)).toContain('The sum of 20 and 22 is 42.');
  });

  it('pauses for approval before an `ask` tool; a reject is a tool error; resume repeats no MCP call', async () => {
    configure({ everything: everythingStdio({ toolPolicies: { 'get-sum': 'ask' } }) });
    model.setScript(
      callingTools(
        { name: 'mcp__everything__echo', input: { message: 'before asking' } },
        { name: 'mcp__everything__get-sum', input: { a: 1, b: 2 } },
      ),
    );
    const workflow = agentWith(['mcp__everything__echo', 'mcp__everything__get-sum']);
    const first = openApp();
    const started = first.runs.start({ workflow, projectDir, inputs: { task: 'sum' } });
    for await (const event of first.runs.events(started.id, 0, { follow: true })) {
      if (event.type === 'approval.requested') {
        expect(event.data.payload).toMatchObject({ server: 'everything', tool: 'get-sum', arguments: { a: 1, b: 2 } });
        break;
      }
    }
    expect(first.runs.get(started.id).status).toBe('waiting');
    // The host goes away while the run waits: the echo was made, the sum not.
    await closeApp(first);
    apps.splice(apps.indexOf(first), 1);

    const second = openApp();
    const calls = vi.spyOn(second.mcp, 'callTool');
    second.runs.resume(started.id);
    await expect.poll(() => second.runs.get(started.id).status).toBe('waiting');
    second.runs.approve(started.id, 'agent', { decision: 'reject', reason: 'not today' });
    const run = await second.runs.wait(started.id);
    expect(run.status).toBe('completed');
    expect(calls).not.toHaveBeenCalled();
    const lastRequest = JSON.stringify(model.requests.at(-1)?.body.messages.at(-1));
    expect(lastRequest).toContain('rejected this call to mcp__everything__get-sum: not today');
    expect(lastRequest).toContain('"is_error":true');
  });
});
