import { InputConfigSchema } from '@shared/node-kinds';
import { defineNode } from './define-node';

export const inputNode = defineNode('input', InputConfigSchema, (context) => {
  const { name, default: fallback } = context.config;
  const value = Object.hasOwn(context.runInputs, name) ? context.runInputs[name] : fallback;
  if (value === undefined) return Promise.reject(new Error(`the run needs the input "${name}" (--input ${name}=…)`));
  return Promise.resolve({ value });
});
