import { oc } from '@orpc/contract';
import { z } from 'zod';

/**
 * MCP configuration in the `mcpServers` format of Claude Desktop and Claude Code (`<profile>/mcp.json`,
 * `<project>/.mcp.json`), War Room's additions to it (enabled, policies, timeout), the names agents call
 * MCP tools by, and the API over the server registry.
 */

/** `__` separates the server from the tool in `mcp__<server>__<tool>`, so a server name cannot hold it. */
export const McpServerNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*$/,
    'a server name uses letters, digits, "-" and single "_" (no "__", none at the ends)',
  )
  .max(40, 'a server name has at most 40 characters');

/** `ask` pauses the run for a human before each call; `allow` calls at once. */
export const McpPolicySchema = z.enum(['allow', 'ask']);
export type McpPolicy = z.infer<typeof McpPolicySchema>;

const StringMap = z.record(z.string().min(1, 'a name is empty'), z.string());

const WarRoomAdditions = {
  /** Claude Code's flag; a disabled server never starts. */
  disabled: z.boolean().optional(),
  policy: McpPolicySchema.optional(),
  /** Per-tool policies, by the server's own tool name; they win over `policy`. */
  toolPolicies: z.record(z.string().min(1), McpPolicySchema).optional(),
  timeoutSeconds: z.number().positive().max(3600).optional(),
};

export const McpStdioServerSchema = z.strictObject({
  type: z.literal('stdio').optional(),
  command: z.string().trim().min(1, 'the command is empty'),
  args: z.array(z.string()).optional(),
  env: StringMap.optional(),
  cwd: z.string().min(1).optional(),
  ...WarRoomAdditions,
});

export const McpRemoteServerSchema = z.strictObject({
  /** `http` is Streamable HTTP (falling back to SSE for older servers); `sse` is the old transport only. */
  type: z.enum(['http', 'sse']),
  url: z.url({ message: 'not a URL' }).refine((url) => /^https?:/i.test(url), 'the URL must be http or https'),
  headers: StringMap.optional(),
  ...WarRoomAdditions,
});

export const McpServerConfigSchema = z.union([McpStdioServerSchema, McpRemoteServerSchema]);
export type McpServerConfig = z.infer<typeof McpServerConfigSchema>;

export const McpConfigFileSchema = z.object({
  mcpServers: z.record(McpServerNameSchema, McpServerConfigSchema).default({}),
});
export type McpConfigFile = z.infer<typeof McpConfigFileSchema>;

/** Anthropic tool names are at most 64 characters of `[A-Za-z0-9_-]`. */
export const McpToolNameSchema = z
  .string()
  .regex(/^mcp__[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*__[A-Za-z0-9_-]+$/, 'an MCP tool is named mcp__<server>__<tool>')
  .max(64, 'a tool name has at most 64 characters');

export const MCP_TOOL_PREFIX = 'mcp__';

export function isMcpToolName(name: string): boolean {
  return McpToolNameSchema.safeParse(name).success;
}

export function mcpToolName(server: string, tool: string): string {
  return `${MCP_TOOL_PREFIX}${server}__${tool}`;
}

/** The server and the tool of an `mcp__<server>__<tool>` name (server names hold no `__`). */
export function parseMcpToolName(name: string): { server: string; tool: string } | null {
  if (!isMcpToolName(name)) return null;
  const rest = name.slice(MCP_TOOL_PREFIX.length);
  const separator = rest.indexOf('__');
  return { server: rest.slice(0, separator), tool: rest.slice(separator + 2) };
}

/** What `${secret:NAME}` may name (the expansion's own rule). */
export const McpSecretNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/,
    'a secret name starts with a letter or "_"; letters, digits, "_", "." and "-"',
  );

export const McpToolInfoSchema = z.object({
  /** The name agents use: `mcp__<server>__<tool>`. */
  name: z.string(),
  server: z.string(),
  tool: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
  policy: McpPolicySchema,
});
export type McpToolInfo = z.infer<typeof McpToolInfoSchema>;

export const McpServerStateSchema = z.enum(['stopped', 'starting', 'connected', 'error', 'disabled', 'untrusted']);

export const McpServerStatusSchema = z.object({
  name: z.string(),
  /** Where the server is configured: the profile's mcp.json or a project's .mcp.json. */
  source: z.enum(['profile', 'project']),
  file: z.string(),
  transport: z.enum(['stdio', 'http', 'sse']),
  state: McpServerStateSchema,
  error: z.string().nullable(),
  /** Null until the server has been connected once. */
  toolCount: z.int().nonnegative().nullable(),
  tools: z.array(McpToolInfoSchema),
  /** The configuration as written (secrets as `${secret:NAME}` references, never their values). */
  config: McpServerConfigSchema,
});
export type McpServerStatus = z.infer<typeof McpServerStatusSchema>;

export const McpTrustPromptSchema = z.object({
  projectDir: z.string(),
  file: z.string(),
  /** The sha256 of the file's content: an approval covers exactly this content. */
  hash: z.string(),
  servers: z.array(z.string()),
});
export type McpTrustPrompt = z.infer<typeof McpTrustPromptSchema>;

/** Error codes the MCP routes raise (besides the generic ones in errors.ts). */
export const McpErrorCode = {
  ConfigInvalid: 'MCP_CONFIG_INVALID',
  Unavailable: 'MCP_UNAVAILABLE',
} as const;

const ProjectDir = z.string().min(1).max(4096);
const ServerRef = z.object({ name: McpServerNameSchema, projectDir: ProjectDir.optional() });

export const mcpContract = {
  /** Every configured server (the profile's, and the project's when given) with its status. */
  list: oc
    .input(
      z.object({ projectDir: ProjectDir.optional(), connect: z.boolean().default(false) }).default({ connect: false }),
    )
    .output(z.array(McpServerStatusSchema)),
  /** Reconnects a server and lists its tools: the status says connected, or the error and why. */
  test: oc.input(ServerRef).output(McpServerStatusSchema),
  /** Adds or replaces a server of the profile's mcp.json. */
  save: oc.input(z.object({ name: McpServerNameSchema, config: McpServerConfigSchema })).output(McpServerStatusSchema),
  remove: oc.input(z.object({ name: McpServerNameSchema })).output(z.object({ name: z.string() })),
  setEnabled: oc.input(z.object({ name: McpServerNameSchema, enabled: z.boolean() })).output(McpServerStatusSchema),
  /** Projects whose .mcp.json (at its current content) waits for the user's approval. */
  trustPrompts: oc.output(z.array(McpTrustPromptSchema)),
  /** Names of the secrets saved for mcp.json files (never their values). */
  secrets: oc.output(z.array(McpSecretNameSchema)),
  setSecret: oc
    .input(z.object({ name: McpSecretNameSchema, value: z.string().min(1, 'the value is empty').max(16_384) }))
    .output(z.array(McpSecretNameSchema)),
  clearSecret: oc.input(z.object({ name: McpSecretNameSchema })).output(z.array(McpSecretNameSchema)),
  decideTrust: oc
    .input(z.object({ projectDir: ProjectDir, hash: z.string().min(1).max(128), approve: z.boolean() }))
    .output(z.object({ projectDir: z.string(), trusted: z.boolean() })),
};
