import { JoinConfigSchema } from '@shared/node-kinds';
import { defineNode } from './define-node';

/**
 * The scheduler decides when a join runs (all/any: every branch settled; first: the first value);
 * here the values are shaped by policy.
 */
export const joinNode = defineNode('join', JoinConfigSchema, (context, inputs) => {
  const values = inputs.all.in ?? [];
  if (context.config.policy === 'first') return Promise.resolve({ out: values[0] });
  return Promise.resolve({ out: values });
});
