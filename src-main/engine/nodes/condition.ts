import { ConditionConfigSchema } from '@shared/node-kinds';
import { jsonObjectIn } from '../model-json';
import { evaluateExpression, toText, truthy } from '../expression';
import type { NodeContext } from '../node-kind';
import { defineNode } from './define-node';
import { expressionScope } from './descriptor';

export const conditionNode = defineNode('condition', ConditionConfigSchema, async (context, inputs) => {
  const value = inputs.values.in;
  const config = context.config;
  const decision =
    'expression' in config
      ? {
          result: truthy(evaluateExpression(config.expression, expressionScope(value, context.runInputs))),
          reason: null,
        }
      : await askModel(context, config.question, config.model, value);
  context.emit('condition.decided', decision);
  return decision.result ? { true: value } : { false: value };
});

/** The model answers yes or no with a reason; the reason is recorded in the event stream. */
async function askModel(
  context: NodeContext,
  question: string,
  model: string | undefined,
  value: unknown,
): Promise<{ result: boolean; reason: string }> {
  const request = {
    model: model ?? context.defaultModel,
    system: 'You route a workflow. Answer only with JSON: {"decision": true or false, "reason": "<one sentence>"}.',
    messages: [
      { role: 'user' as const, content: [{ type: 'text' as const, text: `${question}\n\nInput:\n${toText(value)}` }] },
    ],
    tools: [],
    maxTokens: 300,
  };
  // Usage and retries go into the event stream as an agent's do (the Dashboard counts spend from them); a
  // decision answered from the journal (resume, replay, fork) cost nothing again.
  let sent = false;
  const response = await context.journaled('llm', request, () => {
    sent = true;
    return context.llm.complete(request, {
      signal: context.signal,
      onRetry: (retry) => context.emit('llm.retry', { ...retry, model: request.model }),
    });
  });
  context.emit('llm.usage', {
    ...response.usage,
    costUsd: response.costUsd,
    model: response.model,
    ...(sent ? {} : { reused: true as const }),
  });
  context.chargeUsage(response.usage, response.costUsd);
  const text = response.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  const json = jsonObjectIn(text);
  const parsed = json.ok && typeof json.value === 'object' && json.value !== null ? json.value : {};
  const { decision, reason } = parsed as { decision?: unknown; reason?: unknown };
  if (typeof decision === 'boolean') return { result: decision, reason: String(reason ?? '') };
  // Not a JSON decision: read a plain yes/no.
  const plain = text.trim().toLowerCase();
  if (/^(yes|true)\b/.test(plain)) return { result: true, reason: text.trim() };
  if (/^(no|false)\b/.test(plain)) return { result: false, reason: text.trim() };
  throw new Error(`the model's routing answer was neither true nor false: "${text.slice(0, 200)}"`);
}
