import { isMcpToolName } from '@shared/mcp';
import { AgentConfigSchema } from '@shared/node-kinds';
import { runAgentLoop } from '../agent-loop';
import { renderTemplate } from '../expression';
import { mcpTools } from '../mcp-tools';
import { builtInTools, isBuiltInTool, toolEnvironmentOf } from '../tools';
import { defineNode } from './define-node';
import { expressionScope } from './descriptor';

export const agentNode = defineNode('agent', AgentConfigSchema, async (context, inputs) => {
  const config = context.config;
  const role = config.role === undefined ? undefined : context.roles.get(config.role);
  if (config.role !== undefined && !role) throw new Error(`unknown role "${config.role}"`);
  const toolNames = config.tools ?? role?.tools.filter((name) => isBuiltInTool(name) || isMcpToolName(name)) ?? [];
  const scope = expressionScope(inputs.values.in, context.runInputs, {
    role: role?.name ?? '',
    all: inputs.all.in ?? [],
  });
  const task = renderTemplate(config.prompt, scope);
  // Memories are appended after template rendering: their text is data, never a template.
  const memories =
    config.memory.inject && context.memory ? await context.recallMemories(task, config.memory.tokenBudget) : '';
  const system = [
    ...[role?.system, config.system, config.format ? `Answer in this format:\n${config.format}` : undefined]
      .filter((part): part is string => Boolean(part))
      .map((part) => renderTemplate(part, { ...scope, task })),
    memories,
  ]
    .filter((part) => part !== '')
    .join('\n\n');
  const tools = new Map([
    ...builtInTools(toolNames.filter(isBuiltInTool), toolEnvironmentOf(context, config.allowSensitivePaths)),
    ...(await mcpTools(toolNames.filter(isMcpToolName), context)),
  ]);
  const out = await runAgentLoop(context, {
    model: config.model ?? context.defaultModel,
    system,
    task,
    tools,
    maxTurns: config.maxTurns,
    maxTokens: config.maxTokens,
    ...(config.budget ? { budget: config.budget } : {}),
    maxRepeatedToolCalls: config.maxRepeatedToolCalls,
  });
  return { out };
});
