import type { BuiltInToolName } from '@shared/node-kinds';
import { renderJsonTemplate } from '../expression';
import type { NodeImplementation } from '../node-kind';
import { BUILT_IN_TOOL_IMPLEMENTATIONS, toolEnvironmentOf } from '../tools';
import { descriptorOf, expressionScope } from './descriptor';

/** Calls one built-in tool; string arguments may use {{in}} and {{inputs.x}} placeholders. */
export const toolNode: NodeImplementation = {
  descriptor: descriptorOf('tool'),
  run: async (context, inputs) => {
    const { tool, args } = context.config as { tool: BuiltInToolName; args: Record<string, unknown> };
    const filled = renderJsonTemplate(
      JSON.stringify(args),
      expressionScope(inputs.values.in, context.runInputs),
    ) as Record<string, unknown>;
    context.emit('tool.call', { name: tool, input: filled });
    const output = await context.journaled('tool', { tool, args: filled }, () =>
      BUILT_IN_TOOL_IMPLEMENTATIONS[tool].run(filled, toolEnvironmentOf(context)),
    );
    context.emit('tool.result', { name: tool, isError: false, output: output.slice(0, 4000) });
    return { out: output };
  },
};
