import { DEFAULT_MODEL_IDLE_TIMEOUT_MS, LlmTimeoutError, startIdleDeadline } from './idle-deadline';
import type { LlmCallOptions, LlmProvider, LlmRequest, LlmResponse } from './port';
import { LlmUnavailableError } from './port';

export interface OpenAiCompatibleOptions {
  /** e.g. http://127.0.0.1:11434/v1 (Ollama), http://127.0.0.1:1234/v1 (LM Studio), llama.cpp's server. */
  baseUrl: string;
  apiKey?: string | null;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** How long the endpoint may stay silent (before the headers or between chunks) before a try is given up. */
  idleTimeoutMs?: number;
}

interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

interface StreamChunk {
  choices?: Array<{
    delta?: {
      content?: string | null;
      tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason?: string | null;
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/**
 * Local models through the OpenAI-compatible chat completions API most local servers speak, streamed.
 * Local models cost nothing, so the cost is 0; tokens are still counted for budgets.
 */
export class OpenAiCompatibleProvider implements LlmProvider {
  readonly name = 'openai-compatible';

  constructor(private readonly options: OpenAiCompatibleOptions) {}

  async complete(request: LlmRequest, options: LlmCallOptions = {}): Promise<LlmResponse> {
    const maxRetries = this.options.maxRetries ?? 3;
    const idleMs = this.options.idleTimeoutMs ?? DEFAULT_MODEL_IDLE_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      // A silent endpoint (a hung server, a dropped network) ends the try instead of the run waiting forever.
      const deadline = startIdleDeadline(idleMs, options.signal);
      let response: Response;
      try {
        response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body: JSON.stringify(toChatRequest(request)),
          signal: deadline.signal,
        }).catch((error: unknown) => {
          if (deadline.signal.aborted) throw error;
          throw new LlmUnavailableError(
            `cannot reach the local model endpoint ${this.options.baseUrl}: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
        deadline.touch();
        if (response.ok) return await readStream(response, request.model, options, deadline.touch);
        const retryable = response.status === 429 || response.status >= 500;
        if (!retryable || attempt >= maxRetries) {
          throw new LlmUnavailableError(
            `local model endpoint answered ${response.status}: ${(await response.text()).slice(0, 500)}`,
          );
        }
      } catch (error) {
        if (!deadline.timedOut || options.signal?.aborted) throw error;
        if (attempt >= maxRetries) {
          throw new LlmTimeoutError(`the local model endpoint ${this.options.baseUrl}`, idleMs, attempt + 1);
        }
        options.onRetry?.({ attempt: attempt + 2, status: null });
        continue;
      } finally {
        deadline.dispose();
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      const delay =
        Number.isFinite(retryAfter) && retryAfter > 0
          ? retryAfter * 1000
          : (this.options.retryBaseDelayMs ?? 500) * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, delay));
      options.onRetry?.({ attempt: attempt + 2, status: response.status });
    }
  }
}

function toChatRequest(request: LlmRequest) {
  const messages: ChatMessage[] = request.system ? [{ role: 'system', content: request.system }] : [];
  for (const message of request.messages) {
    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    if (message.role === 'assistant') {
      const calls = message.content.flatMap((block) =>
        block.type === 'tool_use'
          ? [
              {
                id: block.id,
                type: 'function' as const,
                function: { name: block.name, arguments: JSON.stringify(block.input) },
              },
            ]
          : [],
      );
      messages.push({ role: 'assistant', content: text || null, ...(calls.length > 0 ? { tool_calls: calls } : {}) });
      continue;
    }
    for (const block of message.content) {
      if (block.type === 'tool_result')
        messages.push({ role: 'tool', tool_call_id: block.toolUseId, content: block.content });
    }
    if (text) messages.push({ role: 'user', content: text });
  }
  return {
    model: request.model,
    messages,
    max_tokens: request.maxTokens,
    stream: true,
    stream_options: { include_usage: true },
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.tools.length > 0
      ? {
          tools: request.tools.map((tool) => ({
            type: 'function',
            function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
          })),
        }
      : {}),
  };
}

async function readStream(
  response: Response,
  model: string,
  options: LlmCallOptions,
  onLifeSign: () => void,
): Promise<LlmResponse> {
  if (!response.body) throw new LlmUnavailableError('the local model endpoint sent no body');
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  let finishReason: string | null = null;
  const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  const handle = (data: string) => {
    if (data === '[DONE]') return;
    const chunk = JSON.parse(data) as StreamChunk;
    if (chunk.usage) {
      usage.inputTokens = chunk.usage.prompt_tokens ?? usage.inputTokens;
      usage.outputTokens = chunk.usage.completion_tokens ?? usage.outputTokens;
    }
    for (const choice of chunk.choices ?? []) {
      if (choice.delta?.content) {
        text += choice.delta.content;
        options.onTextDelta?.(choice.delta.content);
      }
      for (const call of choice.delta?.tool_calls ?? []) {
        const current = calls.get(call.index) ?? { id: '', name: '', arguments: '' };
        current.id = call.id ?? current.id;
        current.name += call.function?.name ?? '';
        current.arguments += call.function?.arguments ?? '';
        calls.set(call.index, current);
      }
      finishReason = choice.finish_reason ?? finishReason;
    }
  };
  for await (const bytes of response.body) {
    onLifeSign();
    buffer += decoder.decode(bytes as Uint8Array, { stream: true });
    let boundary = buffer.indexOf('\n');
    while (boundary >= 0) {
      const line = buffer.slice(0, boundary).trim();
      buffer = buffer.slice(boundary + 1);
      if (line.startsWith('data:')) handle(line.slice(5).trim());
      boundary = buffer.indexOf('\n');
    }
  }
  const content: LlmResponse['content'] = text ? [{ type: 'text', text }] : [];
  for (const [index, call] of [...calls.entries()].sort(([a], [b]) => a - b)) {
    let input: Record<string, unknown>;
    try {
      input = call.arguments ? (JSON.parse(call.arguments) as Record<string, unknown>) : {};
    } catch {
      input = { unparsedArguments: call.arguments };
    }
    content.push({ type: 'tool_use', id: call.id || `call_${index}`, name: call.name, input });
  }
  return {
    content,
    stopReason: calls.size > 0 ? 'tool_use' : finishReason === 'length' ? 'max_tokens' : 'end_turn',
    usage,
    costUsd: 0,
    model,
  };
}
