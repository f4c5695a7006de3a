import type { z } from 'zod';
import type { NodeImplementation } from '../node-kind';
import { descriptorOf } from './descriptor';

/**
 * Declares a node kind: its descriptor comes from the shared catalogue, and `run` sees the config as its
 * schema's output type. The engine parses every config with the descriptor's schema before `run`, which
 * is what makes that type true; so the schema given here must be the descriptor's very own.
 */
export function defineNode<ConfigSchema extends z.ZodType<Record<string, unknown>>>(
  kind: string,
  configSchema: ConfigSchema,
  run: NodeImplementation<z.infer<ConfigSchema>>['run'],
): NodeImplementation {
  const descriptor = descriptorOf(kind);
  if (descriptor.config !== configSchema) {
    throw new Error(
      `node kind "${kind}": defineNode was given a config schema other than the one its descriptor declares in src-shared/node-kinds.ts`,
    );
  }
  // The one place a config's type is erased: the registry holds kinds of every config type.
  return { descriptor, run: run as NodeImplementation['run'] };
}
