import Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_MODEL_IDLE_TIMEOUT_MS, LlmTimeoutError, startIdleDeadline } from './idle-deadline';
import type { LlmCallOptions, LlmContentBlock, LlmProvider, LlmRequest, LlmResponse } from './port';
import { LlmUnavailableError } from './port';
import { costOf } from './pricing';
import { markStreamBroken, observeRetries, retryObservingFetch } from './retry-observer';

export interface AnthropicProviderOptions {
  apiKey: string;
  /** Overrides https://api.anthropic.com (a proxy, or the fake server in tests). */
  baseUrl?: string;
  /** HTTP-level retries the SDK makes on 408/409/429/5xx, honouring `retry-after`. */
  maxRetries?: number;
  /** Whole-call retries when a stream breaks after it started (the SDK cannot retry those). */
  maxStreamRetries?: number;
  streamRetryBaseDelayMs?: number;
  /** How long the API may stay silent (before the headers or between stream events) before a try is given up. */
  idleTimeoutMs?: number;
}

/** The model's input for a tool was not JSON; the SDK's own error does not say which tool. */
class MalformedToolInputError extends LlmUnavailableError {
  constructor(toolName: string, json: string, problem: string) {
    const shown = json.length > 120 ? `${json.slice(0, 120)}…` : json;
    super(`the model's input for tool "${toolName}" is not valid JSON (${problem}): ${shown}`);
    this.name = 'MalformedToolInputError';
  }
}

/**
 * Claude through the official SDK: streaming Messages with prompt caching on the system prompt and the
 * tool list, retries with backoff, abort, usage and cost.
 */
export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic';
  private readonly client: Anthropic;
  private readonly maxStreamRetries: number;
  private readonly streamRetryBaseDelayMs: number;
  private readonly idleTimeoutMs: number;

  constructor(options: AnthropicProviderOptions) {
    this.client = new Anthropic({
      apiKey: options.apiKey,
      ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
      maxRetries: options.maxRetries ?? 4,
      // The SDK's own retries are reported to each call's `onRetry` (llm.retry events, the Dashboard).
      fetch: retryObservingFetch(),
    });
    this.maxStreamRetries = options.maxStreamRetries ?? 2;
    this.streamRetryBaseDelayMs = options.streamRetryBaseDelayMs ?? 500;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_MODEL_IDLE_TIMEOUT_MS;
  }

  complete(request: LlmRequest, options: LlmCallOptions = {}): Promise<LlmResponse> {
    return observeRetries(options.onRetry, () => this.completeWithRetries(request, options));
  }

  /**
   * A stream that breaks, goes silent or carries a tool input that is not JSON is asked again from the
   * start (a fresh answer usually fixes all three), up to `maxStreamRetries` times; then the call fails
   * with an error that says which of them happened.
   */
  private async completeWithRetries(request: LlmRequest, options: LlmCallOptions): Promise<LlmResponse> {
    for (let attempt = 0; ; attempt++) {
      const deadline = startIdleDeadline(this.idleTimeoutMs, options.signal);
      const toolInputs = new ToolInputTracker();
      try {
        return await this.streamOnce(request, options, deadline.signal, (event) => {
          deadline.touch();
          toolInputs.record(event);
        });
      } catch (error) {
        if (options.signal?.aborted) throw abortError(options.signal);
        const fault = deadline.timedOut
          ? new LlmTimeoutError('the Anthropic API', this.idleTimeoutMs, attempt + 1)
          : (toolInputs.malformed(error) ?? error);
        const broken =
          fault instanceof LlmTimeoutError ||
          fault instanceof MalformedToolInputError ||
          fault instanceof Anthropic.APIConnectionError ||
          isStreamBreak(fault);
        if (!broken || attempt >= this.maxStreamRetries) throw translate(fault);
        markStreamBroken();
        await sleep(this.streamRetryBaseDelayMs * 2 ** attempt, options.signal);
      } finally {
        deadline.dispose();
      }
    }
  }

  private async streamOnce(
    request: LlmRequest,
    options: LlmCallOptions,
    signal: AbortSignal,
    onLifeSign: (event: Anthropic.MessageStreamEvent | null) => void,
  ): Promise<LlmResponse> {
    const tools = request.tools.map((tool, index) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.inputSchema as Anthropic.Tool.InputSchema,
      // One breakpoint after the last tool caches the whole (stable) tool list.
      ...(index === request.tools.length - 1 ? { cache_control: { type: 'ephemeral' as const } } : {}),
    }));
    const stream = this.client.messages.stream(
      {
        model: request.model,
        max_tokens: request.maxTokens,
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.system
          ? { system: [{ type: 'text' as const, text: request.system, cache_control: { type: 'ephemeral' as const } }] }
          : {}),
        messages: request.messages.map(toAnthropicMessage),
        ...(tools.length > 0 ? { tools } : {}),
      },
      { signal },
    );
    stream.on('connect', () => onLifeSign(null));
    stream.on('streamEvent', (event) => onLifeSign(event));
    if (options.onTextDelta) stream.on('text', options.onTextDelta);
    const message = await stream.finalMessage();
    const usage = {
      inputTokens: message.usage.input_tokens,
      outputTokens: message.usage.output_tokens,
      cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
      cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
    };
    const content: LlmResponse['content'] = [];
    for (const block of message.content) {
      if (block.type === 'text') content.push({ type: 'text', text: block.text });
      if (block.type === 'tool_use') {
        content.push({
          type: 'tool_use',
          id: block.id,
          name: block.name,
          input: block.input as Record<string, unknown>,
        });
      }
    }
    const stopReason = message.stop_reason;
    return {
      content,
      stopReason:
        stopReason === 'end_turn' ||
        stopReason === 'tool_use' ||
        stopReason === 'max_tokens' ||
        stopReason === 'stop_sequence'
          ? stopReason
          : 'other',
      usage,
      costUsd: costOf(message.model, usage),
      model: message.model,
    };
  }
}

function toAnthropicMessage(message: {
  role: 'user' | 'assistant';
  content: LlmContentBlock[];
}): Anthropic.MessageParam {
  return {
    role: message.role,
    content: message.content.map((block): Anthropic.ContentBlockParam => {
      switch (block.type) {
        case 'text':
          return { type: 'text', text: block.text };
        case 'tool_use':
          return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
        case 'tool_result':
          return {
            type: 'tool_result',
            tool_use_id: block.toolUseId,
            content: block.content,
            ...(block.isError ? { is_error: true } : {}),
          };
      }
    }),
  };
}

/** The raw input JSON of each tool use in one answer, to name the tool whose input does not parse. */
class ToolInputTracker {
  private readonly tools = new Map<number, { name: string; json: string }>();

  record(event: Anthropic.MessageStreamEvent | null): void {
    if (event?.type === 'content_block_start' && event.content_block.type === 'tool_use') {
      this.tools.set(event.index, { name: event.content_block.name, json: '' });
    } else if (event?.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
      const tool = this.tools.get(event.index);
      if (tool) tool.json += event.delta.partial_json;
    }
  }

  /** The SDK fails on a bad tool input with a bare JSON SyntaxError (as the cause); this names the tool. */
  malformed(error: unknown): MalformedToolInputError | undefined {
    const cause = error instanceof Error ? (error.cause ?? error) : undefined;
    if (!(cause instanceof SyntaxError)) return undefined;
    for (const { name, json } of this.tools.values()) {
      try {
        JSON.parse(json);
      } catch (problem) {
        return new MalformedToolInputError(name, json, (problem as Error).message);
      }
    }
    return undefined;
  }
}

/** A stream that ended before message_stop shows up as a plain error from the SDK's stream reader. */
function isStreamBreak(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof Anthropic.APIError) return false;
  return /terminated|socket|ECONNRESET|stream ended|premature|aborted|request ended/i.test(
    `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`,
  );
}

function translate(error: unknown): Error {
  if (error instanceof Anthropic.AuthenticationError) {
    return new LlmUnavailableError(
      'The Anthropic API refused the key (401). Set a valid key in Settings or ANTHROPIC_API_KEY.',
    );
  }
  if (error instanceof Anthropic.APIError && error.status !== undefined) {
    return new LlmUnavailableError(`Anthropic API error ${error.status}: ${error.message}`);
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return new LlmUnavailableError(`Cannot reach the Anthropic API: ${error.message}`);
  }
  if (isStreamBreak(error)) {
    return new LlmUnavailableError(`The Anthropic API's answer broke off mid-stream: ${(error as Error).message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('the operation was aborted');
  error.name = 'AbortError';
  return error;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    // The signal may be the whole run's: the listener goes when the wait ends, not when the run does.
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
