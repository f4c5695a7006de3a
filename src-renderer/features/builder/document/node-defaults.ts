import { findNodeKind } from '@shared/node-kinds';

/** The config a new node starts with: the schema's defaults plus placeholders users then edit. */
export function initialConfig(kind: string): Record<string, unknown> {
  const descriptor = findNodeKind(kind);
  return descriptor ? fieldDefaults(descriptor.config) : {};
}

/** Inputs and outputs are named in runs (`--input topic=…`); start from a name derived from the id. */
export function nameFor(kind: string, id: string): Record<string, unknown> {
  return kind === 'input' || kind === 'output' ? { name: id.replace(/-/g, '_') } : {};
}

interface SchemaLike {
  safeParse(value: unknown): { success: boolean; data?: unknown };
  shape?: Record<string, SchemaLike>;
  options?: SchemaLike[];
}

/**
 * Each field's default, taken one field at a time: a config with a required field (an agent's prompt)
 * does not parse as a whole when empty, but its other fields still have defaults worth starting from.
 * For a union (condition: expression or question) the first form is the starting point.
 */
function fieldDefaults(schema: SchemaLike): Record<string, unknown> {
  const object = schema.shape ? schema : schema.options?.[0];
  if (!object?.shape) return {};
  const defaults: Record<string, unknown> = {};
  for (const [field, fieldSchema] of Object.entries(object.shape)) {
    const parsed = fieldSchema.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) defaults[field] = parsed.data;
  }
  return defaults;
}
