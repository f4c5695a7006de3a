import type { NodeImplementation } from '../node-kind';
import { descriptorOf } from './descriptor';

/**
 * The scheduler decides when a join runs (all/any: every branch settled; first: the first value);
 * here the values are shaped by policy.
 */
export const joinNode: NodeImplementation = {
  descriptor: descriptorOf('join'),
  run: (context, inputs) => {
    const { policy } = context.config as { policy: 'all' | 'any' | 'first' };
    const values = inputs.all.in ?? [];
    if (policy === 'first') return Promise.resolve({ out: values[0] });
    return Promise.resolve({ out: values });
  },
};
