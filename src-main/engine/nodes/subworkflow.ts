import type { NodeImplementation } from '../node-kind';
import { descriptorOf } from './descriptor';

export const subworkflowNode: NodeImplementation = {
  descriptor: descriptorOf('subworkflow'),
  run: async (context, inputs) => {
    const value = inputs.values.in;
    const childInputs =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : { input: value };
    const { workflowId } = context.config as { workflowId: string };
    return { out: await context.runSubworkflow(workflowId, childInputs) };
  },
};
