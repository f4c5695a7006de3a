import Anthropic from '@anthropic-ai/sdk';
import type { LlmCallOptions, LlmContentBlock, LlmProvider, LlmRequest, LlmResponse } from './port';
import { LlmUnavailableError } from './port';
import { costOf } from './pricing';

export interface AnthropicProviderOptions {
  apiKey: string;
  /** Overrides https://api.anthropic.com (a proxy, or the fake server in tests). */
  baseUrl?: string;
  /** HTTP-level retries the SDK makes on 408/409/429/5xx, honouring `retry-after`. */
  maxRetries?: number;
  /** Whole-call retries when a stream breaks after it started (the SDK cannot retry those). */
  maxStreamRetries?: number;
  streamRetryBaseDelayMs?: number;
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

  constructor(options: AnthropicProviderOptions) {
    this.client = new Anthropic({
      apiKey: options.apiKey,
      ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
      maxRetries: options.maxRetries ?? 4,
    });
    this.maxStreamRetries = options.maxStreamRetries ?? 2;
    this.streamRetryBaseDelayMs = options.streamRetryBaseDelayMs ?? 500;
  }

  async complete(request: LlmRequest, options: LlmCallOptions = {}): Promise<LlmResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.streamOnce(request, options);
      } catch (error) {
        if (options.signal?.aborted) throw abortError(options.signal);
        const broken = error instanceof Anthropic.APIConnectionError || isStreamBreak(error);
        if (!broken || attempt >= this.maxStreamRetries) throw translate(error);
        await sleep(this.streamRetryBaseDelayMs * 2 ** attempt, options.signal);
      }
    }
  }

  private async streamOnce(request: LlmRequest, options: LlmCallOptions): Promise<LlmResponse> {
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
      { signal: options.signal },
    );
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
