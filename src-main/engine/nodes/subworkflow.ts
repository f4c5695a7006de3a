import { SubworkflowConfigSchema } from '@shared/node-kinds';
import { defineNode } from './define-node';

export const subworkflowNode = defineNode('subworkflow', SubworkflowConfigSchema, async (context, inputs) => {
  const value = inputs.values.in;
  const childInputs =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { input: value };
  return { out: await context.runSubworkflow(context.config.workflowId, childInputs) };
});
