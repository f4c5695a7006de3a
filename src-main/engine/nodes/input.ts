import type { NodeImplementation } from '../node-kind';
import { descriptorOf } from './descriptor';

export const inputNode: NodeImplementation = {
  descriptor: descriptorOf('input'),
  run: (context) => {
    const { name, default: fallback } = context.config as { name: string; default?: unknown };
    const value = Object.hasOwn(context.runInputs, name) ? context.runInputs[name] : fallback;
    if (value === undefined) return Promise.reject(new Error(`the run needs the input "${name}" (--input ${name}=…)`));
    return Promise.resolve({ value });
  },
};
