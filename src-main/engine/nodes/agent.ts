import { AgentConfigSchema } from '@shared/node-kinds';
import type { LlmContentBlock, LlmMessage, LlmRequest } from '../../llm/port';
import { LoopGuardError, describeError } from '../errors';
import { renderTemplate, toText } from '../expression';
import type { NodeContext } from '../node-kind';
import { BUILT_IN_TOOL_IMPLEMENTATIONS, isBuiltInTool, toolEnvironmentOf } from '../tools';
import { defineNode } from './define-node';
import { expressionScope } from './descriptor';

/** Scratchpad tools only touch run memory, so they run again on replay instead of being journaled. */
const IN_MEMORY_TOOLS = new Set(['remember', 'recall']);

export const agentNode = defineNode('agent', AgentConfigSchema, async (context, inputs) => {
  const config = context.config;
  const role = config.role === undefined ? undefined : context.roles.get(config.role);
  if (config.role !== undefined && !role) throw new Error(`unknown role "${config.role}"`);
  const toolNames = config.tools ?? role?.tools.filter(isBuiltInTool) ?? [];
  const scope = expressionScope(inputs.values.in, context.runInputs, {
    role: role?.name ?? '',
    all: inputs.all.in ?? [],
  });
  const task = renderTemplate(config.prompt, scope);
  // Memories are appended after template rendering: their text is data, never a template.
  const memories = config.memory.inject ? await context.recallMemories(task, config.memory.tokenBudget) : '';
  const system = [
    ...[role?.system, config.system, config.format ? `Answer in this format:\n${config.format}` : undefined]
      .filter((part): part is string => Boolean(part))
      .map((part) => renderTemplate(part, { ...scope, task })),
    memories,
  ]
    .filter((part) => part !== '')
    .join('\n\n');
  const messages: LlmMessage[] = [{ role: 'user', content: [{ type: 'text', text: task }] }];
  const toolCallCounts = new Map<string, number>();

  for (let turn = 1; turn <= config.maxTurns; turn++) {
    const request: LlmRequest = {
      model: config.model ?? context.defaultModel,
      system,
      messages,
      tools: toolNames.map((name) => BUILT_IN_TOOL_IMPLEMENTATIONS[name].spec),
      maxTokens: config.maxTokens,
    };
    const response = await context.journaled('llm', request, () =>
      context.llm.complete(request, { signal: context.signal, onTextDelta: context.emitTextDelta }),
    );
    context.emit('llm.usage', { turn, ...response.usage, costUsd: response.costUsd, model: response.model });
    context.chargeUsage(response.usage, response.costUsd, config.budget);
    messages.push({ role: 'assistant', content: response.content });
    const toolUses = response.content.filter(
      (block): block is Extract<LlmContentBlock, { type: 'tool_use' }> => block.type === 'tool_use',
    );
    if (toolUses.length === 0 || response.stopReason !== 'tool_use') {
      return { out: response.content.map((block) => (block.type === 'text' ? block.text : '')).join('') };
    }
    for (const toolUse of toolUses) {
      const key = `${toolUse.name}\u0000${JSON.stringify(toolUse.input)}`;
      const count = (toolCallCounts.get(key) ?? 0) + 1;
      toolCallCounts.set(key, count);
      if (count >= config.maxRepeatedToolCalls) {
        context.emit('loop.guard', { tool: toolUse.name, input: toolUse.input, count });
        throw new LoopGuardError(toolUse.name, count);
      }
    }
    // Parallel tool calls of one turn run concurrently; their results go back in the order asked.
    const results = await Promise.all(toolUses.map((toolUse) => callTool(context, toolNames, toolUse)));
    messages.push({ role: 'user', content: results });
  }
  throw new Error(`the agent used all ${config.maxTurns} turns without a final answer`);
});

async function callTool(
  context: NodeContext,
  allowed: readonly string[],
  toolUse: Extract<LlmContentBlock, { type: 'tool_use' }>,
): Promise<LlmContentBlock> {
  context.emit('tool.call', { id: toolUse.id, name: toolUse.name, input: toolUse.input });
  const perform = async (): Promise<{ content: string; isError: boolean }> => {
    if (!allowed.includes(toolUse.name) || !isBuiltInTool(toolUse.name)) {
      return { content: `tool "${toolUse.name}" is not available to this agent`, isError: true };
    }
    try {
      const content = await BUILT_IN_TOOL_IMPLEMENTATIONS[toolUse.name].run(toolUse.input, toolEnvironmentOf(context));
      return { content, isError: false };
    } catch (error) {
      if (context.signal.aborted) throw error;
      // A failing tool is information for the model, not the end of the run.
      return { content: describeError(error), isError: true };
    }
  };
  const result = IN_MEMORY_TOOLS.has(toolUse.name)
    ? await perform()
    : await context.journaled('tool', { id: toolUse.id, name: toolUse.name, input: toolUse.input }, perform);
  context.emit('tool.result', {
    id: toolUse.id,
    name: toolUse.name,
    isError: result.isError,
    output: toText(result.content).slice(0, 4000),
  });
  return {
    type: 'tool_result',
    toolUseId: toolUse.id,
    content: result.content,
    ...(result.isError ? { isError: true } : {}),
  };
}
