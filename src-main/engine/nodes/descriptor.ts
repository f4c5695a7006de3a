import { findNodeKind, type NodeKindDescriptor } from '@shared/node-kinds';

export function descriptorOf(kind: string): NodeKindDescriptor {
  const descriptor = findNodeKind(kind);
  if (!descriptor) throw new Error(`no descriptor for node kind "${kind}"`);
  return descriptor;
}

/** The scope templates and expressions see: the node's input under several handy names, and the run's inputs. */
export function expressionScope(
  value: unknown,
  runInputs: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { value, in: value, input: value, inputs: runInputs, ...extra };
}
