import type { LlmProvider, LlmRequest, LlmResponse } from '../../llm/port';

export type ScriptedAnswer = Partial<Omit<LlmResponse, 'usage'>> & {
  text?: string;
  toolUses?: Array<{ id: string; name: string; input: Record<string, unknown> }>;
  delayMs?: number;
  usage?: Partial<LlmResponse['usage']>;
};

/** An in-process model for engine tests: each call is answered by the script and recorded. */
export class ScriptedLlm implements LlmProvider {
  readonly name = 'scripted';
  readonly calls: LlmRequest[] = [];

  constructor(
    private readonly script: (request: LlmRequest, index: number) => ScriptedAnswer = () => ({ text: 'ok' }),
  ) {}

  async complete(request: LlmRequest, options: { signal?: AbortSignal; onTextDelta?: (text: string) => void } = {}) {
    this.calls.push(structuredClone(request));
    const answer = this.script(request, this.calls.length - 1);
    if (answer.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, answer.delayMs);
        options.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          const error = new Error('aborted');
          error.name = 'AbortError';
          reject(error);
        });
      });
    }
    const content: LlmResponse['content'] = [];
    if (answer.text !== undefined) {
      options.onTextDelta?.(answer.text);
      content.push({ type: 'text', text: answer.text });
    }
    for (const toolUse of answer.toolUses ?? []) content.push({ type: 'tool_use', ...toolUse });
    return {
      content,
      stopReason: answer.stopReason ?? ((answer.toolUses?.length ?? 0) > 0 ? 'tool_use' : 'end_turn'),
      usage: { inputTokens: 10, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, ...answer.usage },
      costUsd: answer.costUsd ?? 0.001,
      model: request.model,
    } satisfies LlmResponse;
  }
}
