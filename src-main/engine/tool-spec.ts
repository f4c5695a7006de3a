import type { LlmToolSpec } from '../llm/port';

/**
 * A tool's spec for the model: its input is an object with these JSON Schema `properties`. `required`
 * is left out of the schema when not given (what the model is sent is journaled, so keep specs stable).
 */
export function toolSpec(
  name: string,
  description: string,
  properties: Record<string, unknown>,
  required?: string[],
): LlmToolSpec {
  return { name, description, inputSchema: { type: 'object', properties, ...(required ? { required } : {}) } };
}
