import type { McpToolInfo } from '@shared/mcp';

/**
 * What the engine sees of MCP: the tools a run may use and one way to call them. Servers, transports,
 * trust and restarts stay behind this port (src-main/mcp/); the engine imports nothing else from there.
 */
export interface McpToolCall {
  runId: string;
  projectDir: string;
  server: string;
  tool: string;
  input: Record<string, unknown>;
  signal: AbortSignal;
}

/** A call's result as the agent reads it; images and resources were saved as run artifacts. */
export interface McpToolCallResult {
  content: string;
  isError: boolean;
  artifacts: string[];
}

export interface McpToolSource {
  /**
   * The named tools (`mcp__<server>__<tool>`) for a run in `projectDir`, starting their servers on first use.
   * Throws McpUnavailableError saying why a tool cannot be had (unknown, untrusted project file, disabled,
   * failed to start) and what to do about it.
   */
  resolveTools(projectDir: string, names: readonly string[], signal: AbortSignal): Promise<McpToolInfo[]>;
  /** Protocol errors and `isError` results come back as `isError: true`; an abort rejects. */
  callTool(call: McpToolCall): Promise<McpToolCallResult>;
}

export class McpUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpUnavailableError';
  }
}
