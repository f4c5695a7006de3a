import { z } from 'zod';
import { findNodeKind } from '@shared/node-kinds';

/** A kind's config schema as JSON Schema, and what the form generated from it needs to know. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Fields whose values are prose or code: they get a multi-line editor. */
export const LONG_TEXT_FIELDS = new Set([
  'prompt',
  'system',
  'format',
  'template',
  'code',
  'question',
  'expression',
  'exitWhen',
]);
const FIELD_LABELS: Record<string, string> = {
  onError: 'On error',
  timeoutMs: 'Timeout (ms)',
  maxTurns: 'Max turns',
  maxTokens: 'Max tokens per reply',
  maxRepeatedToolCalls: 'Loop guard (same tool call, times)',
  maxUsd: 'Max USD',
  maxIterations: 'Max iterations',
  exitWhen: 'Exit when (expression)',
  workflowId: 'Workflow id',
  memoryKind: 'Memory kind',
};

const schemaCache = new Map<string, JsonSchema>();

/** The kind's config schema as JSON Schema: the form is generated from the same zod schema the engine checks. */
export function configSchema(kind: string): JsonSchema | null {
  const cached = schemaCache.get(kind);
  if (cached) return cached;
  const descriptor = findNodeKind(kind);
  if (!descriptor) return null;
  const schema = z.toJSONSchema(descriptor.config, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  schemaCache.set(kind, schema);
  return schema;
}

/** A union config (a condition is an expression or a question) offers its forms to choose from. */
export function variantsOf(schema: JsonSchema): JsonSchema[] {
  return schema.anyOf ?? schema.oneOf ?? [schema];
}

export function pickVariant(variants: JsonSchema[], config: Record<string, unknown>): number {
  const index = variants.findIndex((variant) => (variant.required ?? []).every((field) => field in config));
  return index === -1 ? 0 : index;
}

export function labelFor(field: string): string {
  return FIELD_LABELS[field] ?? field.replace(/([A-Z])/g, ' $1').replace(/^./, (first) => first.toUpperCase());
}

/** The fixed choices of a list's items, or null for a list whose items are free values. */
export function arrayChoices(schema: JsonSchema): string[] | null {
  const options = schema.items?.enum?.map(String) ?? [];
  return options.length > 0 ? options : null;
}
