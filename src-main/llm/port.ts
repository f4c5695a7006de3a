/**
 * The port through which the engine talks to a model. Adapters (Anthropic, OpenAI-compatible local
 * endpoints) translate to their wire format; the engine only sees these provider-neutral shapes.
 */
export type LlmContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; toolUseId: string; content: string; isError?: boolean };

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: LlmContentBlock[];
}

export interface LlmToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the tool's input object. */
  inputSchema: Record<string, unknown>;
}

export interface LlmRequest {
  model: string;
  system: string;
  messages: LlmMessage[];
  tools: LlmToolSpec[];
  maxTokens: number;
  temperature?: number;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface LlmResponse {
  content: Array<Extract<LlmContentBlock, { type: 'text' | 'tool_use' }>>;
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'other';
  usage: LlmUsage;
  /** From the adapter's pricing table; 0 for local models. */
  costUsd: number;
  model: string;
}

export interface LlmCallOptions {
  signal?: AbortSignal;
  /** Text as it streams in. */
  onTextDelta?: (text: string) => void;
  /** A request of this call about to be re-sent after an error response or a broken connection. */
  onRetry?: (retry: LlmRetry) => void;
}

export interface LlmRetry {
  /** The number of the request about to be sent: 2 for the first retry. */
  attempt: number;
  /** The HTTP status of the error response that caused it; null for a connection or stream that broke. */
  status: number | null;
}

export interface LlmProvider {
  readonly name: string;
  complete(request: LlmRequest, options?: LlmCallOptions): Promise<LlmResponse>;
}

/** The provider cannot be used at all (no API key, endpoint unreachable after retries…). */
export class LlmUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LlmUnavailableError';
  }
}
