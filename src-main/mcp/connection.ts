import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolResultSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '@shared/mcp';
import { scrubSecrets, type ExpandedServerConfig } from './expand';
import { McpUnavailableError } from './port';

export type ConnectionState = 'stopped' | 'starting' | 'connected' | 'error';

export interface ConnectionOptions {
  name: string;
  /** Expanded at each start, so a changed secret or variable applies to the next start. */
  expand(): ExpandedServerConfig;
  logFile: string;
  clientVersion: string;
  now?: () => number;
}

const FIRST_RESTART_DELAY_MS = 250;
const MAX_RESTART_DELAY_MS = 30_000;
/** A server that stayed up this long before it crashed is restarted without the accumulated backoff. */
const HEALTHY_UPTIME_MS = 30_000;
const CONNECT_TIMEOUT_MS = 30_000;

/**
 * One server's connection, shared by every run of the app: started on first use, restarted after a crash
 * (each failure doubles the wait before the next start), its stderr in a log file, its tool list cached and
 * refreshed when the server says it changed.
 */
export class McpConnection {
  state: ConnectionState = 'stopped';
  error: string | null = null;
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private toolList: Tool[] | null = null;
  private secretValues: string[] = [];
  private failures = 0;
  private nextStartAt = 0;
  private connectedAt = 0;
  private stopping = false;
  /** Bumped by stop(), so a start still under way when the app stops does not leave a server running. */
  private generation = 0;
  private processId: number | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ConnectionOptions) {
    this.now = options.now ?? Date.now;
  }

  get cachedTools(): Tool[] | null {
    return this.toolList;
  }

  /** The stdio server's process, while it runs. */
  get pid(): number | null {
    return this.processId;
  }

  async tools(signal?: AbortSignal): Promise<Tool[]> {
    await this.connected(signal);
    return this.toolList ?? [];
  }

  async callTool(
    tool: string,
    input: Record<string, unknown>,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<CallToolResult> {
    const client = await this.connected(signal);
    // The SDK sends notifications/cancelled to the server when the signal fires or the timeout passes.
    const result = await client.callTool({ name: tool, arguments: input }, CallToolResultSchema, {
      signal,
      timeout: timeoutMs,
    });
    return result as CallToolResult;
  }

  /** Stops the server and starts it again at once (Settings' "test connection"). */
  async restart(): Promise<Tool[]> {
    await this.stop();
    this.failures = 0;
    this.nextStartAt = 0;
    return this.tools();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.generation++;
    this.stopping = true;
    this.client = null;
    this.connecting = null;
    this.processId = null;
    this.state = 'stopped';
    try {
      await client?.close();
    } finally {
      this.stopping = false;
    }
  }

  scrub(text: string): string {
    return scrubSecrets(text, this.secretValues);
  }

  private connected(signal?: AbortSignal): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.start().finally(() => {
      this.connecting = null;
    });
    if (!signal) return this.connecting;
    return Promise.race([
      this.connecting,
      new Promise<never>((_resolve, reject) => {
        if (signal.aborted) reject(signal.reason as Error);
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      }),
    ]);
  }

  private async start(): Promise<Client> {
    const wait = this.nextStartAt - this.now();
    if (wait > 0) {
      this.log(`waiting ${wait} ms before restarting`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    this.state = 'starting';
    const generation = this.generation;
    try {
      const expanded = this.options.expand();
      this.secretValues = expanded.secretValues;
      const client = await this.connect(expanded.config);
      if (generation !== this.generation) {
        await client.close();
        throw new Error('the server was stopped while it started');
      }
      this.client = client;
      this.toolList = await listAllTools(client);
      this.state = 'connected';
      this.error = null;
      this.connectedAt = this.now();
      this.log(`connected; ${this.toolList.length} tools`);
      return client;
    } catch (error) {
      this.client = null;
      this.noteFailure(this.describe(error));
      throw new McpUnavailableError(`MCP server "${this.options.name}" could not start: ${this.error}`);
    }
  }

  private async connect(config: McpServerConfig): Promise<Client> {
    if ('command' in config) return this.connectTransport(this.stdioTransport(config));
    const url = new URL(config.url);
    const requestInit = config.headers ? { headers: config.headers } : undefined;
    if (config.type === 'sse') return this.connectTransport(new SSEClientTransport(url, { requestInit }));
    try {
      return await this.connectTransport(new StreamableHTTPClientTransport(url, { requestInit }));
    } catch (streamableError) {
      // Servers written before Streamable HTTP speak the older HTTP+SSE transport at the same address.
      this.log(`Streamable HTTP failed (${this.describe(streamableError)}); trying SSE`);
      try {
        return await this.connectTransport(new SSEClientTransport(url, { requestInit }));
      } catch {
        throw streamableError;
      }
    }
  }

  private stdioTransport(config: Extract<McpServerConfig, { command: string }>): StdioClientTransport {
    const transport = new StdioClientTransport({
      command: config.command,
      args: config.args ?? [],
      env: { ...getDefaultEnvironment(), ...config.env },
      ...(config.cwd ? { cwd: config.cwd } : {}),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => this.appendLog(chunk.toString('utf8')));
    return transport;
  }

  private async connectTransport(transport: Transport): Promise<Client> {
    const client = new Client({ name: 'warroom', version: this.options.clientVersion });
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      if (this.client !== client) return;
      try {
        this.toolList = await listAllTools(client);
        this.log(`tool list changed; ${this.toolList.length} tools`);
      } catch (error) {
        this.log(`could not refresh the tool list: ${this.describe(error)}`);
      }
    });
    client.onclose = () => {
      if (this.client !== client || this.stopping) return;
      this.client = null;
      this.processId = null;
      this.noteFailure('the server closed the connection (it exited or crashed)');
    };
    try {
      await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
    } catch (error) {
      await client.close().catch(() => {});
      throw error;
    }
    this.processId = transport instanceof StdioClientTransport ? transport.pid : null;
    return client;
  }

  private noteFailure(reason: string): void {
    if (this.connectedAt > 0 && this.now() - this.connectedAt >= HEALTHY_UPTIME_MS) this.failures = 0;
    this.connectedAt = 0;
    this.failures++;
    const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (this.failures - 1));
    this.nextStartAt = this.now() + delay;
    this.state = 'error';
    this.error = reason;
    this.log(`${reason}; the next use restarts it (after ${delay} ms)`);
  }

  private describe(error: unknown): string {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const config = this.safeConfig();
    if (code === 'ENOENT' && config && 'command' in config) {
      return `the command "${config.command}" was not found (is it installed and on PATH?)`;
    }
    return this.scrub(error instanceof Error ? error.message : String(error));
  }

  private safeConfig(): McpServerConfig | null {
    try {
      return this.options.expand().config;
    } catch {
      return null;
    }
  }

  private log(line: string): void {
    this.appendLog(`[warroom ${new Date(this.now()).toISOString()}] ${line}\n`);
  }

  /** Everything written here is scrubbed of the secrets the server was started with. */
  private appendLog(text: string): void {
    try {
      fs.mkdirSync(path.dirname(this.options.logFile), { recursive: true });
      fs.appendFileSync(this.options.logFile, this.scrub(text), { mode: 0o600 });
    } catch {
      // A log that cannot be written must not take the server down.
    }
  }
}

async function listAllTools(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}
