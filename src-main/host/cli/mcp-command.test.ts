import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWarRoom, type WarRoom } from '../../app';
import { writeMcpServers } from '../../mcp/config';
import { everythingStdio } from '../../mcp/testing/reference-servers';
import { makeTempProfile } from '../../testing/temp-profile';
import { callCommand, listCommand, trustCommand } from './mcp-command';

describe('warroom mcp list / call / trust', () => {
  const opened: Array<{ app: WarRoom; profileDir: string }> = [];
  const openApp = () => {
    const profileDir = makeTempProfile('warroom-mcp-cli-');
    const app = createWarRoom({ profileDir, host: 'cli', version: 'test', env: {}, memoryEmbedder: null });
    opened.push({ app, profileDir });
    return { app, profileDir };
  };
  afterEach(async () => {
    for (const { app, profileDir } of opened.splice(0)) {
      await app.mcp.close();
      app.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
  });

  it('lists servers with their tools and descriptions, as text and JSON, and calls a tool', async () => {
    const { app, profileDir } = openApp();
    writeMcpServers(path.join(profileDir, 'mcp.json'), {
      everything: everythingStdio({ toolPolicies: { 'get-sum': 'ask' } }),
    });
    const text = await listCommand(app, {});
    expect(text.text).toMatch(/^everything {2}connected/);
    expect(text.text).toMatch(/mcp__everything__echo {2}Echoes back the input string/);
    expect(text.text).toContain('mcp__everything__get-sum [ask]');
    const json = JSON.parse((await listCommand(app, { json: true })).text) as Array<{ toolCount: number }>;
    expect(json[0]?.toolCount).toBeGreaterThan(5);

    const called = await callCommand(app, 'everything', 'get-sum', { args: { a: 40, b: 2 }, project: profileDir });
    expect(called).toEqual({ text: expect.stringContaining('42'), exitCode: 0 });
    // The audit log keeps the call with a hash of its arguments, made by the CLI.
    expect(app.audit.list({ kinds: ['mcp.call'] }).entries).toMatchObject([
      {
        actor: 'cli',
        runId: null,
        details: {
          server: 'everything',
          tool: 'get-sum',
          isError: false,
          argsSha256: createHash('sha256')
            .update(JSON.stringify({ a: 40, b: 2 }))
            .digest('hex'),
        },
      },
    ]);
    await expect(callCommand(app, 'everything', 'nope', { project: profileDir })).rejects.toThrow(
      /has no tool "nope" \(it has: .*echo/,
    );
  });

  it('approves a project .mcp.json', async () => {
    const { app, profileDir } = openApp();
    fs.writeFileSync(path.join(profileDir, '.mcp.json'), JSON.stringify({ mcpServers: { proj: everythingStdio() } }));
    await expect(callCommand(app, 'proj', 'echo', { project: profileDir, args: { message: 'x' } })).rejects.toThrow(
      /not approved yet/,
    );
    expect((await trustCommand(app, profileDir, false)).text).toMatch(/^Approved .*\.mcp\.json \(servers: proj\)/);
    expect((await callCommand(app, 'proj', 'echo', { project: profileDir, args: { message: 'x' } })).exitCode).toBe(0);
  });
});
