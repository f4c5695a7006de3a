import { ConditionConfigSchema } from '@shared/node-kinds';
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
  const response = await context.journaled('llm', request, () =>
    context.llm.complete(request, { signal: context.signal }),
  );
  context.chargeUsage(response.usage, response.costUsd);
  const text = response.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  try {
    const parsed = JSON.parse(json ?? '') as { decision?: unknown; reason?: unknown };
    if (typeof parsed.decision === 'boolean') return { result: parsed.decision, reason: String(parsed.reason ?? '') };
  } catch {
    // Not JSON: fall through to reading a plain yes/no.
  }
  const plain = text.trim().toLowerCase();
  if (/^(yes|true)\b/.test(plain)) return { result: true, reason: text.trim() };
  if (/^(no|false)\b/.test(plain)) return { result: false, reason: text.trim() };
  throw new Error(`the model's routing answer was neither true nor false: "${text.slice(0, 200)}"`);
}
