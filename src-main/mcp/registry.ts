import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import {
  mcpToolName,
  parseMcpToolName,
  type McpPolicy,
  type McpServerConfig,
  type McpServerStatus,
  type McpToolInfo,
  type McpTrustPrompt,
} from '@shared/mcp';
import { PROFILE_CONFIG_FILE, PROJECT_CONFIG_FILE, readMcpConfig, writeMcpServers } from './config';
import { McpConnection } from './connection';
import { expandServerConfig, type SecretResolver } from './expand';
import { McpUnavailableError, type McpToolCall, type McpToolCallResult, type McpToolSource } from './port';
import { convertToolResult } from './tool-result';
import type { SecretCipher } from '../store/sealed-secret';
import { McpSecretStore } from './secret-store';
import { contentHash, McpTrustStore } from './trust';
import { runArtifactsDir } from '../profile';

export interface McpRegistryOptions {
  profileDir: string;
  /** Where `${secret:NAME}` looks after the MCP secrets (the app's own saved secrets). */
  resolveSecret: SecretResolver;
  secretCipher?: SecretCipher | null;
  env: NodeJS.ProcessEnv;
  version: string;
  defaultTimeoutSeconds?: number;
}

/** A configured server as found in a file, before anything is started. */
interface ServerEntry {
  name: string;
  source: 'profile' | 'project';
  file: string;
  projectDir: string | null;
  config: McpServerConfig;
  /** Null for the profile's servers; the project file's trust for a project's. */
  trust: 'trusted' | 'denied' | 'undecided' | null;
}

const DEFAULT_TIMEOUT_SECONDS = 120;

/**
 * Every MCP server War Room knows, each with one connection for the whole app. The profile's mcp.json
 * is the user's own; a project's .mcp.json is used only once its content is approved. Implements the
 * engine's McpToolSource port.
 */
export class McpRegistry implements McpToolSource {
  private readonly connections = new Map<string, { fingerprint: string; connection: McpConnection }>();
  private readonly trust: McpTrustStore;
  /** Secrets saved for mcp.json files, by any name. */
  readonly secrets: McpSecretStore;
  /** Projects whose undecided .mcp.json something asked for: the Settings page offers to approve them. */
  private readonly askedProjects = new Set<string>();
  private closed = false;

  constructor(private readonly options: McpRegistryOptions) {
    this.trust = new McpTrustStore(options.profileDir);
    this.secrets = new McpSecretStore(options.profileDir, options.secretCipher ?? null);
  }

  get profileConfigFile(): string {
    return path.join(this.options.profileDir, PROFILE_CONFIG_FILE);
  }

  /** Every server configured for `projectDir` (its .mcp.json wins over the profile for a shared name). */
  async list(projectDir?: string, connect = false): Promise<McpServerStatus[]> {
    const entries = this.entries(projectDir);
    for (const entry of entries) {
      if (entry.trust === 'undecided' && entry.projectDir) this.askedProjects.add(entry.projectDir);
    }
    if (connect) {
      await Promise.all(
        entries
          .filter((entry) => this.isStartable(entry))
          .map((entry) =>
            this.connectionFor(entry)
              .tools()
              .catch(() => []),
          ),
      );
    }
    return entries.map((entry) => this.statusOf(entry));
  }

  /** One server's status, connecting it first when `connect` (and it may start); null when not configured. */
  async status(name: string, projectDir?: string, connect = false): Promise<McpServerStatus | null> {
    const entry = this.entries(projectDir).find((candidate) => candidate.name === name);
    if (!entry) return null;
    if (connect && this.isStartable(entry))
      await this.connectionFor(entry)
        .tools()
        .catch(() => []);
    return this.statusOf(entry);
  }

  async test(name: string, projectDir?: string): Promise<McpServerStatus> {
    const entry = this.requireEntry(name, projectDir);
    if (this.isStartable(entry))
      await this.connectionFor(entry)
        .restart()
        .catch(() => []);
    return this.statusOf(entry);
  }

  async resolveTools(projectDir: string, names: readonly string[], signal: AbortSignal): Promise<McpToolInfo[]> {
    const wanted = new Map<string, string[]>();
    for (const name of names) {
      const parsed = parseMcpToolName(name);
      if (!parsed) throw new McpUnavailableError(`"${name}" is not an MCP tool name (mcp__<server>__<tool>)`);
      wanted.set(parsed.server, [...(wanted.get(parsed.server) ?? []), parsed.tool]);
    }
    const resolved = await Promise.all(
      [...wanted].map(async ([server, tools]) => {
        const entry = this.requireUsable(server, projectDir);
        const available = await this.connectionFor(entry).tools(signal);
        return tools.map((tool) => {
          const found = available.find((candidate) => candidate.name === tool);
          if (!found) {
            throw new McpUnavailableError(
              `MCP server "${server}" has no tool "${tool}" (it has: ${available.map((t) => t.name).join(', ') || 'none'})`,
            );
          }
          return toolInfo(entry, found);
        });
      }),
    );
    return resolved.flat();
  }

  async callTool(call: McpToolCall): Promise<McpToolCallResult> {
    const entry = this.requireUsable(call.server, call.projectDir);
    const connection = this.connectionFor(entry);
    const timeoutSeconds = entry.config.timeoutSeconds ?? this.options.defaultTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    let result;
    try {
      result = await connection.callTool(call.tool, call.input, call.signal, timeoutSeconds * 1000);
    } catch (error) {
      if (call.signal.aborted) throw error;
      // Protocol errors (unknown tool, bad arguments, a crashed server, a timeout) are for the agent to read.
      return {
        content: connection.scrub(`MCP error from "${call.server}": ${(error as Error).message}`),
        isError: true,
        artifacts: [],
      };
    }
    return convertToolResult(result, {
      artifactsDir: path.join(runArtifactsDir(this.options.profileDir, call.runId), 'mcp'),
      stem: `${safeFileName(call.server)}-${safeFileName(call.tool)}-${randomUUID().slice(0, 8)}`,
      scrub: (text) => connection.scrub(text),
    });
  }

  /** The stdio server's process id while it runs, for health checks (and tests that crash it). */
  processId(name: string, projectDir?: string): number | null {
    const entry = this.entries(projectDir).find((candidate) => candidate.name === name);
    return entry ? (this.connections.get(this.keyOf(entry))?.connection.pid ?? null) : null;
  }

  saveServer(name: string, config: McpServerConfig): McpServerStatus {
    const { config: file } = readMcpConfig(this.profileConfigFile);
    writeMcpServers(this.profileConfigFile, { ...file.mcpServers, [name]: config });
    return this.statusOf(this.requireEntry(name));
  }

  removeServer(name: string): void {
    const { config: file } = readMcpConfig(this.profileConfigFile);
    if (!Object.hasOwn(file.mcpServers, name))
      throw new McpUnavailableError(`no MCP server "${name}" in ${this.profileConfigFile}`);
    writeMcpServers(
      this.profileConfigFile,
      Object.fromEntries(Object.entries(file.mcpServers).filter(([key]) => key !== name)),
    );
    void this.stopKey(`profile\u0000${name}`);
  }

  setEnabled(name: string, enabled: boolean): McpServerStatus {
    const { config: file } = readMcpConfig(this.profileConfigFile);
    const config = file.mcpServers[name];
    if (!config) throw new McpUnavailableError(`no MCP server "${name}" in ${this.profileConfigFile}`);
    const { disabled: _wasDisabled, ...rest } = config;
    return this.saveServer(name, enabled ? rest : { ...rest, disabled: true });
  }

  trustPrompts(): McpTrustPrompt[] {
    return [...this.askedProjects].flatMap((projectDir) => {
      const project = this.readProject(projectDir);
      if (!project || this.trust.decision(projectDir, project.hash) !== 'undecided') return [];
      return [{ projectDir, file: project.file, hash: project.hash, servers: Object.keys(project.servers) }];
    });
  }

  /** The content hash of the project's .mcp.json as it is now; null when it has none. */
  projectFileHash(projectDir: string): string | null {
    return this.readProject(path.resolve(projectDir))?.hash ?? null;
  }

  /** Approves or denies a project's .mcp.json at the content the user saw (its hash). */
  decideTrust(projectDir: string, hash: string, approve: boolean): boolean {
    const project = this.readProject(path.resolve(projectDir));
    if (!project) throw new McpUnavailableError(`${path.join(projectDir, PROJECT_CONFIG_FILE)} does not exist`);
    if (project.hash !== hash) {
      throw new McpUnavailableError(`${project.file} changed since it was shown; review it again`);
    }
    this.trust.decide(projectDir, hash, approve);
    return approve;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map(({ connection }) => connection.stop().catch(() => {})));
  }

  private entries(projectDir?: string): ServerEntry[] {
    const byName = new Map<string, ServerEntry>();
    const profile = readMcpConfig(this.profileConfigFile).config;
    for (const [name, config] of Object.entries(profile.mcpServers)) {
      byName.set(name, {
        name,
        source: 'profile',
        file: this.profileConfigFile,
        projectDir: null,
        config,
        trust: null,
      });
    }
    const project = projectDir ? this.readProject(path.resolve(projectDir)) : null;
    if (project) {
      const trust = this.trust.decision(project.projectDir, project.hash);
      for (const [name, config] of Object.entries(project.servers)) {
        byName.set(name, {
          name,
          source: 'project',
          file: project.file,
          projectDir: project.projectDir,
          config,
          trust,
        });
      }
    }
    return [...byName.values()];
  }

  private readProject(projectDir: string) {
    const file = path.join(projectDir, PROJECT_CONFIG_FILE);
    const { config, text } = readMcpConfig(file);
    if (text === null) return null;
    return { projectDir, file, hash: contentHash(text), servers: config.mcpServers };
  }

  private requireEntry(name: string, projectDir?: string): ServerEntry {
    const entry = this.entries(projectDir).find((candidate) => candidate.name === name);
    if (!entry) {
      const where = projectDir
        ? `${this.profileConfigFile} or ${path.join(path.resolve(projectDir), PROJECT_CONFIG_FILE)}`
        : this.profileConfigFile;
      throw new McpUnavailableError(`no MCP server "${name}" is configured in ${where}`);
    }
    return entry;
  }

  /** The entry, if a run may start it; otherwise an error saying why not and what to do. */
  private requireUsable(name: string, projectDir: string): ServerEntry {
    const entry = this.requireEntry(name, projectDir);
    if (this.closed) throw new McpUnavailableError('War Room is shutting down');
    if (entry.config.disabled) {
      throw new McpUnavailableError(`MCP server "${name}" is disabled; enable it in Settings → MCP servers`);
    }
    if (entry.trust === 'undecided' || entry.trust === 'denied') {
      this.askedProjects.add(entry.projectDir ?? '');
      throw new McpUnavailableError(
        `MCP server "${name}" comes from ${entry.file}, which ${entry.trust === 'denied' ? 'you denied' : 'you have not approved yet'}: ` +
          `a project's .mcp.json can start programs on this machine. Approve it in Settings → MCP servers or with ` +
          `\`warroom mcp trust ${entry.projectDir ?? ''}\`.`,
      );
    }
    return entry;
  }

  private isStartable(entry: ServerEntry): boolean {
    if (entry.trust === 'undecided' && entry.projectDir) this.askedProjects.add(entry.projectDir);
    return !entry.config.disabled && (entry.trust === null || entry.trust === 'trusted');
  }

  private keyOf(entry: ServerEntry): string {
    return entry.source === 'profile'
      ? `profile\u0000${entry.name}`
      : `project\u0000${entry.projectDir}\u0000${entry.name}`;
  }

  /** One connection per server; a changed configuration replaces it. */
  private connectionFor(entry: ServerEntry): McpConnection {
    const key = this.keyOf(entry);
    const fingerprint = JSON.stringify(entry.config);
    const existing = this.connections.get(key);
    if (existing && existing.fingerprint === fingerprint) return existing.connection;
    if (existing) void existing.connection.stop().catch(() => {});
    const logName =
      entry.source === 'profile'
        ? `${safeFileName(entry.name)}.log`
        : `${safeFileName(entry.name)}-${createHash('sha256')
            .update(entry.projectDir ?? '')
            .digest('hex')
            .slice(0, 8)}.log`;
    const connection = new McpConnection({
      name: entry.name,
      expand: () =>
        expandServerConfig(
          entry.name,
          entry.config,
          (name) => this.secrets.get(name) ?? this.options.resolveSecret(name),
          this.options.env,
        ),
      logFile: path.join(this.options.profileDir, 'logs', 'mcp', logName),
      clientVersion: this.options.version,
    });
    this.connections.set(key, { fingerprint, connection });
    return connection;
  }

  private stopKey(key: string): Promise<void> {
    const existing = this.connections.get(key);
    this.connections.delete(key);
    return existing ? existing.connection.stop().catch(() => {}) : Promise.resolve();
  }

  private statusOf(entry: ServerEntry): McpServerStatus {
    const connection = this.connections.get(this.keyOf(entry));
    const fresh = connection && connection.fingerprint === JSON.stringify(entry.config) ? connection.connection : null;
    const tools = fresh?.cachedTools ?? null;
    const state = entry.config.disabled
      ? 'disabled'
      : entry.trust === 'undecided' || entry.trust === 'denied'
        ? 'untrusted'
        : (fresh?.state ?? 'stopped');
    return {
      name: entry.name,
      source: entry.source,
      file: entry.file,
      transport: 'command' in entry.config ? 'stdio' : entry.config.type,
      state,
      error:
        state === 'untrusted' ? `${entry.file} is not approved` : state === 'error' ? (fresh?.error ?? null) : null,
      toolCount: tools ? tools.length : null,
      tools: tools ? tools.map((tool) => toolInfo(entry, tool)) : [],
      config: entry.config,
    };
  }
}

function policyOf(config: McpServerConfig, tool: string): McpPolicy {
  return config.toolPolicies?.[tool] ?? config.policy ?? 'allow';
}

function toolInfo(entry: ServerEntry, tool: Tool): McpToolInfo {
  return {
    name: mcpToolName(entry.name, tool.name),
    server: entry.name,
    tool: tool.name,
    description: tool.description ?? tool.title ?? '',
    inputSchema: tool.inputSchema as Record<string, unknown>,
    policy: policyOf(entry.config, tool.name),
  };
}

function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80);
}
