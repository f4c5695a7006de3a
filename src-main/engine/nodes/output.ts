import { OutputConfigSchema } from '@shared/node-kinds';
import { defineNode } from './define-node';

/** Passes its value through; the scheduler records it as the run output named in the config. */
export const outputNode = defineNode('output', OutputConfigSchema, (_context, inputs) =>
  Promise.resolve({ value: inputs.values.value }),
);
