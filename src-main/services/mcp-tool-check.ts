import { parseMcpToolName, type McpServerStatus } from '@shared/mcp';
import type { ValidationProblem, ValidationResult, Workflow } from '@shared/workflow';

/** The part of the MCP registry the check needs: a server's status, connected on demand. */
export interface McpServerLookup {
  status(name: string, projectDir?: string, connect?: boolean): Promise<McpServerStatus | null>;
}

/**
 * What the shared validator cannot know: whether the MCP tools agents name exist. A tool the configured,
 * reachable server lacks is an error; so is an unknown server when the project is known. A server not in
 * the profile's mcp.json when it is not (a project's .mcp.json may still bring it), or one that cannot be
 * reached now, is a warning.
 */
export async function checkMcpTools(
  workflow: Workflow,
  servers: McpServerLookup,
  projectDir?: string,
): Promise<ValidationProblem[]> {
  const problems: ValidationProblem[] = [];
  const statuses = new Map<string, Promise<McpServerStatus | null>>();
  const statusOf = (server: string) => {
    let status = statuses.get(server);
    if (!status) {
      status = servers.status(server, projectDir, true);
      statuses.set(server, status);
    }
    return status;
  };
  for (const [nodeIndex, node] of workflow.nodes.entries()) {
    for (const { name, path } of toolsNamedBy(node)) {
      const parsed = typeof name === 'string' ? parseMcpToolName(name) : null;
      if (!parsed) continue;
      const place = { nodeId: node.id, path: `nodes[${nodeIndex}].${path}` };
      const status = await statusOf(parsed.server);
      if (!status) {
        // Without a project, its .mcp.json may still bring the server; with one, the run would fail.
        problems.push(
          projectDir === undefined
            ? {
                severity: 'warning',
                ...place,
                message: `no MCP server "${parsed.server}" in the profile's mcp.json; the run needs it in the project's .mcp.json`,
              }
            : {
                severity: 'error',
                ...place,
                message: `no MCP server "${parsed.server}" in the profile's mcp.json or ${projectDir}/.mcp.json`,
              },
        );
      } else if (status.state !== 'connected') {
        problems.push({
          severity: 'warning',
          ...place,
          message: `MCP server "${parsed.server}" is ${status.state}${status.error ? `: ${status.error}` : ''}; "${parsed.tool}" cannot be checked`,
        });
      } else if (!status.tools.some((tool) => tool.tool === parsed.tool)) {
        problems.push({
          severity: 'error',
          ...place,
          message: `MCP server "${parsed.server}" has no tool "${parsed.tool}"`,
        });
      }
    }
  }
  return problems;
}

/** The tools a node's agents name, with where: an agent's own, or each member's of a team. */
function toolsNamedBy(node: Workflow['nodes'][number]): Array<{ name: unknown; path: string }> {
  const listed = (tools: unknown, at: string) =>
    Array.isArray(tools) ? tools.map((name: unknown, index) => ({ name, path: `${at}.tools[${index}]` })) : [];
  if (node.kind === 'agent') return listed(node.config.tools, 'config');
  if (node.kind !== 'team' || !Array.isArray(node.config.members)) return [];
  return node.config.members.flatMap((member: unknown, index) =>
    typeof member === 'object' && member !== null
      ? listed((member as { tools?: unknown }).tools, `config.members[${index}]`)
      : [],
  );
}

/** The shared validator's result with the MCP problems added. */
export function withMcpProblems(result: ValidationResult, problems: ValidationProblem[]): ValidationResult {
  const errors = [...result.errors, ...problems.filter((problem) => problem.severity === 'error')];
  const warnings = [...result.warnings, ...problems.filter((problem) => problem.severity === 'warning')];
  return { ok: errors.length === 0, errors, warnings };
}
