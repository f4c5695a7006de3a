import { createHash } from 'node:crypto';
import type { McpToolInfo } from '@shared/mcp';
import type { McpToolSource } from '../mcp/port';
import type { AgentTool, AgentToolResult } from './agent-loop';
import { auditMcpCall } from './audit-records';
import type { NodeContext } from './node-kind';

/**
 * The agent's `mcp__<server>__<tool>` tools as agent tools. The tool list itself is journaled, so a
 * resumed or replayed run sends the model exactly the specs the original did without starting a server;
 * each call is journaled by the agent loop, so resume and replay make no MCP call either.
 */
export async function mcpTools(names: readonly string[], context: NodeContext): Promise<Map<string, AgentTool>> {
  if (names.length === 0) return new Map();
  const source = context.mcp;
  if (!source) throw new Error(`MCP tools (${names.join(', ')}) are not available where this run executes`);
  const infos = await context.journaled('tool', { mcpTools: [...names].sort() }, () =>
    source.resolveTools(context.projectDir, names, context.signal),
  );
  // The engine keeps one waiting approval per node, so parallel calls of one turn ask one after another.
  let approvals: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(ask: () => Promise<T>): Promise<T> => {
    const next = approvals.then(ask, ask);
    approvals = next.catch(() => {});
    return next;
  };
  return new Map(infos.map((info): [string, AgentTool] => [info.name, toAgentTool(info, source, context, oneAtATime)]));
}

function toAgentTool(
  info: McpToolInfo,
  source: McpToolSource,
  context: NodeContext,
  oneAtATime: <T>(ask: () => Promise<T>) => Promise<T>,
): AgentTool {
  return {
    spec: { name: info.name, description: info.description, inputSchema: info.inputSchema },
    journaled: true,
    run: async (input, signal): Promise<AgentToolResult> => {
      let args = input;
      if (info.policy === 'ask') {
        const decision = await oneAtATime(() =>
          context.awaitApproval(
            { mcpTool: info.name, server: info.server, tool: info.tool, arguments: input },
            `Allow the agent to call "${info.tool}" on MCP server "${info.server}"?`,
            approvalKey(info.name, input),
          ),
        );
        if (decision.decision === 'reject') {
          const reason = decision.reason ? `: ${decision.reason}` : '';
          return { content: `a human rejected this call to ${info.name}${reason}`, isError: true };
        }
        if (decision.decision === 'edit') args = editedArguments(decision.payload, input);
      }
      const result = await source.callTool({
        runId: context.runId,
        projectDir: context.projectDir,
        server: info.server,
        tool: info.tool,
        input: args,
        signal,
      });
      auditMcpCall(context, { server: info.server, tool: info.tool, input: args }, result.isError);
      return { content: result.content, isError: result.isError };
    },
  };
}

/** Each distinct call waits for its own decision; the same call asked again (a resumed run) gets the one given. */
function approvalKey(name: string, input: Record<string, unknown>): string {
  return `mcp:${createHash('sha256')
    .update(`${name}\u0000${JSON.stringify(input)}`)
    .digest('hex')
    .slice(0, 16)}`;
}

/** An edit may give the whole payload back or only its arguments. */
function editedArguments(payload: unknown, original: Record<string, unknown>): Record<string, unknown> {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(payload) && isObject(payload.arguments)) return payload.arguments;
  return isObject(payload) ? payload : original;
}
