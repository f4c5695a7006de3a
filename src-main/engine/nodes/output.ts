import type { NodeImplementation } from '../node-kind';
import { descriptorOf } from './descriptor';

/** Passes its value through; the scheduler records it as the run output named in the config. */
export const outputNode: NodeImplementation = {
  descriptor: descriptorOf('output'),
  run: (_context, inputs) => Promise.resolve({ value: inputs.values.value }),
};
