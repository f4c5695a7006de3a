import { describe, expect, it } from 'vitest';
import type { McpServerStatus } from '@shared/mcp';
import { buildWorkflow } from '../engine/testing/workflow-builder';
import { checkMcpTools, type McpServerLookup } from './mcp-tool-check';

const connected = (name: string, tools: string[]): McpServerStatus => ({
  name,
  source: 'profile',
  file: '/p/mcp.json',
  transport: 'stdio',
  state: 'connected',
  error: null,
  toolCount: tools.length,
  tools: tools.map((tool) => ({
    name: `mcp__${name}__${tool}`,
    server: name,
    tool,
    description: '',
    inputSchema: {},
    policy: 'allow',
  })),
  config: { command: 'x' },
});

const lookup = (servers: McpServerStatus[]): McpServerLookup => ({
  status: (name) => Promise.resolve(servers.find((server) => server.name === name) ?? null),
});

const workflow = buildWorkflow(
  [['agent', 'agent', { prompt: 'x', tools: ['read_file', 'mcp__fs__read', 'mcp__fs__nope', 'mcp__ghost__y'] }]],
  [],
);

describe('checkMcpTools', () => {
  it('checks the MCP tools of each team member too', async () => {
    const team = buildWorkflow(
      [
        [
          'crew',
          'team',
          { topology: 'vote', prompt: 'x', members: [{ role: 'coder' }, { role: 'tester', tools: ['mcp__fs__nope'] }] },
        ],
      ],
      [],
    );
    const problems = await checkMcpTools(team, lookup([connected('fs', ['read'])]));
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'error', path: 'nodes[0].config.members[1].tools[0]', nodeId: 'crew' }),
    ]);
  });

  it('flags unknown tools as errors and unknown servers as warnings when the project is not known', async () => {
    const problems = await checkMcpTools(workflow, lookup([connected('fs', ['read'])]));
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'error', path: 'nodes[0].config.tools[2]', nodeId: 'agent' }),
      expect.objectContaining({ severity: 'warning', path: 'nodes[0].config.tools[3]' }),
    ]);
  });

  it('flags an unknown server as an error for a known project, and an unreachable one as a warning', async () => {
    const down = { ...connected('fs', []), state: 'error' as const, error: 'the command "x" was not found' };
    const problems = await checkMcpTools(workflow, lookup([down]), '/projects/shop');
    expect(problems.map(({ severity, message }) => [severity, message])).toEqual([
      ['warning', expect.stringContaining('the command "x" was not found')],
      ['warning', expect.stringContaining('the command "x" was not found')],
      ['error', 'no MCP server "ghost" in the profile\'s mcp.json or /projects/shop/.mcp.json'],
    ]);
  });
});
