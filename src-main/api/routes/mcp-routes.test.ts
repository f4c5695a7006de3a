import { ORPCError } from '@orpc/server';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpErrorCode } from '@shared/mcp';
import { buildWorkflow } from '../../engine/testing/workflow-builder';
import { everythingStdio } from '../../mcp/testing/reference-servers';
import { throwawayApps } from '../../testing/test-app';

const apps = throwawayApps('warroom-mcp-api-', (app) => app.mcp.close());
const openApp = () => apps.open();
afterEach(() => apps.closeAll());

describe('MCP API', () => {
  it('adds a server, lists its tools, disables it and removes it; secret values never leave', async () => {
    const { client, profileDir } = openApp();
    expect(await client.mcp.setSecret({ name: 'GITHUB_TOKEN', value: 'sk-local-secret-value-123' })).toEqual([
      'GITHUB_TOKEN',
    ]);
    expect(await client.mcp.secrets()).toEqual(['GITHUB_TOKEN']);
    expect(fs.statSync(path.join(profileDir, 'mcp-secrets.json')).mode & 0o777).toBe(0o600);
    const config = everythingStdio({ env: { TOKEN: '${secret:GITHUB_TOKEN}' } });
    expect(await client.mcp.save({ name: 'everything', config })).toMatchObject({ state: 'stopped', toolCount: null });
    const [status] = await client.mcp.list({ connect: true });
    expect(status).toMatchObject({ name: 'everything', state: 'connected', source: 'profile' });
    expect(status?.toolCount).toBeGreaterThan(5);
    expect(status?.tools.find((tool) => tool.name === 'mcp__everything__echo')?.description).toBeTruthy();
    const tested = await client.mcp.test({ name: 'everything' });
    expect(tested.state).toBe('connected');
    expect(JSON.stringify([status, tested])).not.toContain('sk-local-secret');
    expect(fs.readFileSync(path.join(profileDir, 'mcp.json'), 'utf8')).not.toContain('sk-local-secret');
    expect(await client.mcp.clearSecret({ name: 'GITHUB_TOKEN' })).toEqual([]);
    expect((await client.mcp.test({ name: 'everything' })).error).toMatch(/secret "GITHUB_TOKEN", which is not set/);

    expect((await client.mcp.setEnabled({ name: 'everything', enabled: false })).state).toBe('disabled');
    await client.mcp.remove({ name: 'everything' });
    expect(await client.mcp.list({ connect: false })).toEqual([]);
  });

  it('answers bad input with the place, and unknown servers with a domain error', async () => {
    const { client } = openApp();
    const bad = await client.mcp
      .save({ name: 'two__parts', config: { command: '' } } as never)
      .catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(ORPCError);
    expect(JSON.stringify((bad as ORPCError<string, unknown>).data)).toMatch(/name|command/);
    const missing = await client.mcp.test({ name: 'nothing' }).catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: McpErrorCode.Unavailable, message: expect.stringContaining('"nothing"') });
  });

  it('reports a malformed mcp.json with the file, the place and the problem', async () => {
    const { client, profileDir } = openApp();
    fs.writeFileSync(path.join(profileDir, 'mcp.json'), JSON.stringify({ mcpServers: { x: { type: 'http' } } }));
    const error = await client.mcp.list({ connect: false }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: McpErrorCode.ConfigInvalid });
    expect((error as Error).message).toContain(path.join(profileDir, 'mcp.json'));
    expect((error as Error).message).toContain('mcpServers.x');
  });

  it('lists and decides project trust prompts', async () => {
    const { client, profileDir } = openApp();
    const projectDir = path.join(profileDir, 'project');
    fs.mkdirSync(projectDir);
    fs.writeFileSync(path.join(projectDir, '.mcp.json'), JSON.stringify({ mcpServers: { proj: everythingStdio() } }));
    expect((await client.mcp.list({ projectDir, connect: true }))[0]?.state).toBe('untrusted');
    const [prompt] = await client.mcp.trustPrompts();
    expect(prompt).toMatchObject({ projectDir, servers: ['proj'] });
    await client.mcp.decideTrust({ projectDir, hash: prompt?.hash ?? '', approve: true });
    expect(await client.mcp.trustPrompts()).toEqual([]);
    expect((await client.mcp.list({ projectDir, connect: true }))[0]?.state).toBe('connected');
  });

  it('validation flags an unknown MCP tool (error) and an unknown server (warning)', async () => {
    const { client } = openApp();
    await client.mcp.save({ name: 'everything', config: everythingStdio() });
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['agent', 'agent', { prompt: 'x', tools: ['mcp__everything__echo', 'mcp__everything__nope', 'mcp__ghost__x'] }],
        ['result', 'output', { name: 'result' }],
      ],
      ['task.value -> agent.in', 'agent.out -> result.value'],
    );
    const result = await client.workflows.validate({ workflow });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({
        nodeId: 'agent',
        path: 'nodes[1].config.tools[1]',
        message: expect.stringContaining('"nope"'),
      }),
    ]);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ path: 'nodes[1].config.tools[2]', message: expect.stringContaining('"ghost"') }),
    );
  });
});
