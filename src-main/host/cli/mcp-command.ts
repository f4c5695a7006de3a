import { Command, InvalidArgumentError } from 'commander';
import path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { McpSecretNameSchema, type McpServerStatus } from '@shared/mcp';
import packageJson from '../../../package.json';
import type { WarRoom } from '../../app';
import { openCliApp } from './cli-app';
import type { CommandOutput } from './memory-command';
import { createWarRoomMcpServer } from './mcp-serve';
import { auditMcpCall } from '../../engine/audit-records';

function parseArguments(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export function formatServers(servers: McpServerStatus[]): string {
  if (servers.length === 0) return 'No MCP servers are configured (add them to mcp.json or Settings → MCP servers).';
  return servers
    .map((server) => {
      const head = `${server.name}  ${server.state}${server.error ? ` — ${server.error}` : ''}  (${server.transport}, ${server.file})`;
      const tools = server.tools.map(
        (tool) => `  ${tool.name}${tool.policy === 'ask' ? ' [ask]' : ''}  ${tool.description}`,
      );
      return [head, ...(server.toolCount === null ? [] : tools)].join('\n');
    })
    .join('\n\n');
}

export async function listCommand(app: WarRoom, options: { json?: boolean; project?: string }): Promise<CommandOutput> {
  const servers = await app.mcp.list(options.project, true);
  if (options.json) return { text: JSON.stringify(servers, null, 2) };
  return { text: formatServers(servers), exitCode: servers.some((server) => server.state === 'error') ? 1 : 0 };
}

export async function callCommand(
  app: WarRoom,
  server: string,
  tool: string,
  options: { args?: Record<string, unknown>; project?: string },
): Promise<CommandOutput> {
  const projectDir = path.resolve(options.project ?? process.cwd());
  await app.mcp.resolveTools(projectDir, [`mcp__${server}__${tool}`], new AbortController().signal);
  const result = await app.mcp.callTool({
    runId: 'cli',
    projectDir,
    server,
    tool,
    input: options.args ?? {},
    signal: new AbortController().signal,
  });
  auditMcpCall(
    { audit: app.audit, runId: null, nodeId: null },
    { server, tool, input: options.args ?? {} },
    result.isError,
  );
  return { text: result.content, exitCode: result.isError ? 1 : 0 };
}

/** Approves (or denies) the project's .mcp.json at its current content. */
export async function trustCommand(app: WarRoom, projectDir: string, deny: boolean): Promise<CommandOutput> {
  const statuses = await app.mcp.list(projectDir, false);
  const project = statuses.filter((status) => status.source === 'project');
  const prompt = app.mcp.trustPrompts().find((candidate) => candidate.projectDir === path.resolve(projectDir));
  const hash = prompt?.hash ?? app.mcp.projectFileHash(projectDir);
  if (project.length === 0 || !hash) return { text: `${projectDir} has no .mcp.json with servers`, exitCode: 1 };
  app.mcp.decideTrust(projectDir, hash, !deny);
  return {
    text: `${deny ? 'Denied' : 'Approved'} ${project[0]?.file} (servers: ${project.map((server) => server.name).join(', ')}).`,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function withApp(action: (app: WarRoom) => Promise<CommandOutput>): Promise<void> {
  const app = openCliApp();
  try {
    const output = await action(app);
    console.log(output.text);
    process.exitCode = output.exitCode ?? 0;
  } finally {
    await app.mcp.close();
    app.close();
  }
}

export function registerMcpCommands(program: Command): void {
  const mcp = program.command('mcp').description('MCP servers: list and call their tools; serve War Room over MCP');

  mcp
    .command('list')
    .description('the configured MCP servers, their status, and their tools')
    .option('--json', 'print JSON')
    .option('--project <dir>', "include the project's .mcp.json servers")
    .action((options: { json?: boolean; project?: string }) => withApp((app) => listCommand(app, options)));

  mcp
    .command('call <server> <tool>')
    .description("call one tool of a server and print what it returns (exit 1 on the tool's error)")
    .option('--args <json>', 'the tool arguments as a JSON object', parseArguments)
    .option('--project <dir>', 'the project whose .mcp.json servers are available (default: the current directory)')
    .action((server: string, tool: string, options: { args?: Record<string, unknown>; project?: string }) =>
      withApp((app) => callCommand(app, server, tool, options)),
    );

  mcp
    .command('trust [projectDir]')
    .description("approve the project's .mcp.json at its current content (its servers may then start)")
    .option('--deny', 'deny it instead')
    .action((projectDir: string | undefined, options: { deny?: boolean }) =>
      withApp((app) => trustCommand(app, projectDir ?? process.cwd(), options.deny ?? false)),
    );

  const secret = mcp.command('secret').description('secrets mcp.json files reference as ${secret:NAME}');
  secret
    .command('set <name>')
    .description('save a secret; its value is read from stdin (so it stays out of the shell history)')
    .action((name: string) =>
      withApp(async (app) => {
        const valid = McpSecretNameSchema.safeParse(name);
        if (!valid.success) return { text: `"${name}": ${valid.error.issues[0]?.message}`, exitCode: 1 };
        const value = (await readStdin()).trim();
        if (value === '') return { text: 'no value on stdin', exitCode: 1 };
        app.mcp.secrets.set(name, value);
        return { text: `saved \${secret:${name}}` };
      }),
    );
  secret
    .command('clear <name>')
    .description('remove a secret')
    .action((name: string) =>
      withApp((app) => {
        app.mcp.secrets.clear(name);
        return Promise.resolve({ text: `removed \${secret:${name}}` });
      }),
    );
  secret
    .command('list')
    .description('the names of the saved secrets (never their values)')
    .action(() =>
      withApp((app) => Promise.resolve({ text: app.mcp.secrets.names().join('\n') || 'no secrets saved' })),
    );

  mcp
    .command('serve')
    .description('serve War Room over MCP on stdio (for Claude Desktop, Claude Code and other MCP clients)')
    .action(async () => {
      // stdout carries the protocol only: anything printed with console.log goes to stderr instead.
      console.log = console.error;
      // What people do through an MCP client (approvals of the runs it starts) is theirs, not the CLI's.
      const app = openCliApp(process.env, { auditActor: 'mcp-client' });
      const server = createWarRoomMcpServer(app, packageJson.version);
      const stop = async () => {
        await server.close().catch(() => {});
        await app.runs.shutdown();
        await app.mcp.close();
        app.close();
        process.exit(0);
      };
      server.server.onclose = () => void stop();
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      await server.connect(new StdioServerTransport());
      console.error(`[warroom] serving MCP on stdio (profile ${app.info().profileDir})`);
    });
}
