import { ToolConfigSchema } from '@shared/node-kinds';
import { renderJsonTemplate } from '../expression';
import { BUILT_IN_TOOL_IMPLEMENTATIONS, toolEnvironmentOf } from '../tools';
import { defineNode } from './define-node';
import { expressionScope } from './descriptor';

/** Calls one built-in tool; string arguments may use {{in}} and {{inputs.x}} placeholders. */
export const toolNode = defineNode('tool', ToolConfigSchema, async (context, inputs) => {
  const { tool, args, allowSensitivePaths = [] } = context.config;
  const filled = renderJsonTemplate(
    JSON.stringify(args),
    expressionScope(inputs.values.in, context.runInputs),
  ) as Record<string, unknown>;
  context.emit('tool.call', { name: tool, input: filled });
  // Redacted before it is journaled and always: a tool node's output is recorded and fed to the next nodes.
  const output = await context.journaled('tool', { tool, args: filled }, async () =>
    context.redactor.redact(
      await BUILT_IN_TOOL_IMPLEMENTATIONS[tool].run(filled, toolEnvironmentOf(context, allowSensitivePaths)),
    ),
  );
  context.emit('tool.result', { name: tool, isError: false, output: output.slice(0, 4000) });
  return { out: output };
});
