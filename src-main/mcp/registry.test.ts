import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { McpServerConfig } from '@shared/mcp';
import { writeMcpServers } from './config';
import { McpUnavailableError } from './port';
import { McpRegistry } from './registry';
import { everythingStdio, filesystemStdio, fixtureServer, startEverythingHttp } from './testing/reference-servers';

/** The registry against the real reference servers from npm, over stdio and Streamable HTTP. */
describe('McpRegistry with the reference servers', () => {
  let profileDir: string;
  let projectDir: string;
  let registry: McpRegistry;
  const secrets = new Map<string, string>();

  const configure = (servers: Record<string, McpServerConfig>) =>
    writeMcpServers(path.join(profileDir, 'mcp.json'), servers);
  const call = (server: string, tool: string, input: Record<string, unknown>, signal = new AbortController().signal) =>
    registry.callTool({ runId: 'run-1', projectDir, server, tool, input, signal });

  beforeEach(() => {
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-mcp-'));
    projectDir = path.join(profileDir, 'project');
    fs.mkdirSync(projectDir);
    secrets.clear();
    registry = new McpRegistry({
      profileDir,
      resolveSecret: (name) => secrets.get(name) ?? null,
      env: {},
      version: '0.0.0-test',
    });
  });
  afterEach(async () => {
    await registry.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('lists server-everything tools over stdio and calls one; an image becomes a run artifact', async () => {
    configure({ everything: everythingStdio() });
    const [status] = await registry.list(undefined, true);
    expect(status).toMatchObject({ name: 'everything', state: 'connected', transport: 'stdio' });
    expect(status?.tools.map((tool) => tool.name)).toContain('mcp__everything__echo');
    expect(status?.tools.find((tool) => tool.tool === 'echo')?.description).toMatch(/echo/i);

    expect(await call('everything', 'echo', { message: 'hello' })).toMatchObject({
      content: expect.stringContaining('hello'),
      isError: false,
    });
    const image = await call('everything', 'get-tiny-image', {});
    expect(image.artifacts).toHaveLength(1);
    expect(image.artifacts[0]).toContain(path.join(profileDir, 'artifacts', 'run-1', 'mcp'));
    expect(
      fs
        .readFileSync(image.artifacts[0] ?? '')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(image.content).toContain('saved as a run artifact');
  });

  it('speaks Streamable HTTP to server-everything', async () => {
    const server = await startEverythingHttp();
    try {
      configure({ remote: { type: 'http', url: server.url } });
      const [tool] = await registry.resolveTools(projectDir, ['mcp__remote__get-sum'], new AbortController().signal);
      expect(tool?.inputSchema).toMatchObject({ type: 'object' });
      expect((await call('remote', 'get-sum', { a: 2, b: 3 })).content).toContain('5');
    } finally {
      await registry.close();
      await server.stop();
    }
  });

  it('falls back to SSE for a server that does not speak Streamable HTTP', async () => {
    const server = await startEverythingHttp('sse');
    try {
      configure({ legacy: { type: 'http', url: server.url } });
      expect((await call('legacy', 'echo', { message: 'over sse' })).content).toContain('over sse');
      expect(fs.readFileSync(path.join(profileDir, 'logs', 'mcp', 'legacy.log'), 'utf8')).toMatch(/trying SSE/);
    } finally {
      await registry.close();
      await server.stop();
    }
  });

  it("ends a call past the server's timeoutSeconds with a tool error", async () => {
    configure({ everything: everythingStdio({ timeoutSeconds: 0.5 }) });
    await registry.list(undefined, true);
    const result = await call('everything', 'trigger-long-running-operation', { duration: 10, steps: 10 });
    expect(result).toMatchObject({ isError: true, content: expect.stringMatching(/timed out/i) });
  });

  it('refreshes the cached tool list when the server sends tools/list_changed', async () => {
    configure({ changing: fixtureServer() });
    const [before] = await registry.list(undefined, true);
    expect(before?.tools.map((tool) => tool.tool)).toEqual(['add_tool', 'wait_for_cancel']);
    await call('changing', 'add_tool', {});
    await expect
      .poll(async () => (await registry.list())[0]?.tools.map((tool) => tool.tool))
      .toEqual(['add_tool', 'wait_for_cancel', 'added']);
  });

  it('returns isError results and protocol errors as tool errors', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-fs-'));
    fs.writeFileSync(path.join(root, 'notes.txt'), 'inside the root');
    configure({ files: filesystemStdio(root) });
    expect((await call('files', 'read_text_file', { path: path.join(root, 'notes.txt') })).content).toBe(
      'inside the root',
    );
    const outside = await call('files', 'read_text_file', { path: '/etc/hostname' });
    expect(outside.isError).toBe(true);
    expect(outside.content).toMatch(/denied|outside/i);
    const unknown = await call('files', 'no_such_tool', {});
    expect(unknown.isError).toBe(true);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('restarts a server that crashed, on the next use', async () => {
    configure({ everything: everythingStdio() });
    await call('everything', 'echo', { message: 'first' });
    const pid = registry.processId('everything');
    expect(pid).toBeGreaterThan(0);
    process.kill(pid ?? 0, 'SIGKILL');
    await expect.poll(async () => (await registry.list())[0]?.state).toBe('error');
    expect((await registry.list())[0]?.error).toMatch(/closed the connection/);
    expect((await call('everything', 'echo', { message: 'again' })).content).toContain('again');
    expect(registry.processId('everything')).not.toBe(pid);
    expect(fs.readFileSync(path.join(profileDir, 'logs', 'mcp', 'everything.log'), 'utf8')).toMatch(/crashed/);
  });

  it('cancels a slow tool when the signal fires', async () => {
    configure({ everything: everythingStdio() });
    await registry.list(undefined, true);
    const controller = new AbortController();
    const started = Date.now();
    const pending = call(
      'everything',
      'trigger-long-running-operation',
      { duration: 20, steps: 20 },
      controller.signal,
    );
    setTimeout(() => controller.abort(new Error('cancelled by the test')), 300);
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
    // The connection survives the cancel.
    expect((await call('everything', 'echo', { message: 'still here' })).content).toContain('still here');
  });

  it('sends the MCP cancel notification to the server when the signal fires', async () => {
    const mark = path.join(profileDir, 'cancelled.txt');
    configure({ fixture: fixtureServer({ CANCEL_MARK: mark }) });
    await registry.list(undefined, true);
    const controller = new AbortController();
    const pending = call('fixture', 'wait_for_cancel', {}, controller.signal);
    setTimeout(() => controller.abort(new Error('run cancelled')), 200);
    await expect(pending).rejects.toThrow();
    await expect.poll(() => fs.existsSync(mark)).toBe(true);
  });

  it('substitutes ${secret:NAME} and keeps its value out of results, statuses and the log', async () => {
    secrets.set('demoToken', 'sk-demo-0123456789abcdef');
    configure({ everything: everythingStdio({ env: { DEMO_TOKEN: '${secret:demoToken}' } }) });
    const env = await call('everything', 'get-env', {});
    expect(env.content).toContain('DEMO_TOKEN');
    expect(env.content).not.toContain('sk-demo-0123456789abcdef');
    const statuses = JSON.stringify(await registry.list(undefined, true));
    expect(statuses).toContain('${secret:demoToken}');
    expect(statuses).not.toContain('sk-demo');
    expect(fs.readFileSync(path.join(profileDir, 'logs', 'mcp', 'everything.log'), 'utf8')).not.toContain('sk-demo');
  });

  it('says which secret is missing and which command does not exist', async () => {
    configure({
      needsSecret: everythingStdio({ env: { TOKEN: '${secret:absent}' } }),
      missing: { command: 'warroom-no-such-command-xyz' },
    });
    await expect(
      registry.resolveTools(projectDir, ['mcp__needsSecret__echo'], new AbortController().signal),
    ).rejects.toThrow(/secret "absent", which is not set/);
    await expect(registry.resolveTools(projectDir, ['mcp__missing__x'], new AbortController().signal)).rejects.toThrow(
      /command "warroom-no-such-command-xyz" was not found/,
    );
  });

  it('refuses an untrusted project .mcp.json, then uses it once approved; a changed file asks again', async () => {
    const file = path.join(projectDir, '.mcp.json');
    fs.writeFileSync(file, JSON.stringify({ mcpServers: { local: everythingStdio() } }));
    const signal = new AbortController().signal;
    const refusal = registry.resolveTools(projectDir, ['mcp__local__echo'], signal);
    await expect(refusal).rejects.toBeInstanceOf(McpUnavailableError);
    await expect(refusal).rejects.toThrow(/not approved yet.*warroom mcp trust/s);
    expect((await registry.list(projectDir))[0]?.state).toBe('untrusted');
    const [prompt] = registry.trustPrompts();
    expect(prompt).toMatchObject({ projectDir, file, servers: ['local'] });

    registry.decideTrust(projectDir, prompt?.hash ?? '', true);
    expect(await registry.resolveTools(projectDir, ['mcp__local__echo'], signal)).toHaveLength(1);

    fs.writeFileSync(file, JSON.stringify({ mcpServers: { local: everythingStdio({ args: ['changed'] }) } }));
    await expect(registry.resolveTools(projectDir, ['mcp__local__echo'], signal)).rejects.toThrow(/not approved/);
  });
});
