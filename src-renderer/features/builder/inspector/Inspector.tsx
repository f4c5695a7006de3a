import { lazy, Suspense, useMemo, useState } from 'react';
import { z } from 'zod';
import { findNodeKind } from '@shared/node-kinds';
import type { WorkflowNode } from '@shared/workflow';
import type { EditorLanguage } from '../../../ui/CodeEditor';
import { editorStore, useEditor } from '../document/editor';
import { useRoles } from './role-catalog';

interface JsonSchema {
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
const LONG_TEXT_FIELDS = new Set([
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

/** CodeMirror is loaded when a prompt or code field is first shown, not with the app. */
const CodeEditor = lazy(() => import('../../../ui/CodeEditor').then((module) => ({ default: module.CodeEditor })));

const schemaCache = new Map<string, JsonSchema>();

/** The kind's config schema as JSON Schema: the form is generated from the same zod schema the engine checks. */
function configSchema(kind: string): JsonSchema | null {
  const cached = schemaCache.get(kind);
  if (cached) return cached;
  const descriptor = findNodeKind(kind);
  if (!descriptor) return null;
  const schema = z.toJSONSchema(descriptor.config, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  schemaCache.set(kind, schema);
  return schema;
}

/** A union config (a condition is an expression or a question) offers its forms to choose from. */
function variantsOf(schema: JsonSchema): JsonSchema[] {
  return schema.anyOf ?? schema.oneOf ?? [schema];
}

function pickVariant(variants: JsonSchema[], config: Record<string, unknown>): number {
  const index = variants.findIndex((variant) => (variant.required ?? []).every((field) => field in config));
  return index === -1 ? 0 : index;
}

function labelFor(field: string): string {
  return FIELD_LABELS[field] ?? field.replace(/([A-Z])/g, ' $1').replace(/^./, (first) => first.toUpperCase());
}

export function Inspector() {
  const selectedIds = useEditor((state) => state.selectedNodeIds);
  const node = useEditor((state) =>
    state.selectedNodeIds.length === 1
      ? state.workflow?.nodes.find((n) => n.id === state.selectedNodeIds[0])
      : undefined,
  );

  if (!node) {
    return (
      <aside className="inspector" aria-label="Inspector">
        <h2 className="inspector-title">Inspector</h2>
        <p className="muted small">
          {selectedIds.length > 1 ? `${selectedIds.length} nodes selected.` : 'Select a node to configure it.'}
        </p>
      </aside>
    );
  }
  return <NodeInspector key={node.id} node={node} />;
}

function NodeInspector({ node }: { node: WorkflowNode }) {
  const descriptor = findNodeKind(node.kind);
  const schema = configSchema(node.kind);
  const problems = useEditor((state) => state.problemsByNode[node.id]);
  const errors = useEditor((state) => state.errors);
  const fieldErrors = useMemo(() => {
    const byField: Record<string, string[]> = {};
    for (const problem of errors) {
      if (problem.nodeId !== node.id) continue;
      const match = /\.config\.([A-Za-z0-9_]+)/.exec(problem.path);
      if (match?.[1]) (byField[match[1]] ??= []).push(problem.message.replace(/^node "[^"]+" /, ''));
    }
    return byField;
  }, [errors, node.id]);

  const variants = schema ? variantsOf(schema) : [];
  const variantIndex = pickVariant(variants, node.config);
  const variant = variants[variantIndex];

  const setField = (field: string, value: unknown, record: boolean) => {
    const others = Object.entries(node.config).filter(([key]) => key !== field);
    const config = Object.fromEntries(value === undefined ? others : [...others, [field, value]]);
    editorStore.getState().updateConfig(node.id, config, { record });
  };

  return (
    <aside className="inspector" aria-label="Inspector">
      <h2 className="inspector-title">{descriptor?.title ?? node.kind}</h2>
      <p className="muted small">{descriptor?.description ?? `No node kind “${node.kind}” is registered.`}</p>
      <label className="field">
        <span className="field-label">Name</span>
        <input
          value={node.label ?? ''}
          onFocus={() => editorStore.getState().checkpoint()}
          onChange={(event) => editorStore.getState().rename(node.id, event.target.value)}
        />
      </label>
      <p className="muted small">
        id <code>{node.id}</code>
      </p>
      {variants.length > 1 ? (
        <label className="field">
          <span className="field-label">Form</span>
          <select
            value={variantIndex}
            onChange={(event) => {
              const next = variants[Number(event.target.value)];
              const keep = Object.fromEntries(
                Object.entries(node.config).filter(([field]) => field in (next?.properties ?? {})),
              );
              editorStore.getState().updateConfig(node.id, keep);
            }}
          >
            {variants.map((option, index) => (
              <option key={index} value={index}>
                {(option.required ?? []).filter((field) => field !== 'onError').join(', ') || `form ${index + 1}`}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {Object.entries(variant?.properties ?? {}).map(([field, fieldSchema]) => (
        <ConfigField
          key={field}
          field={field}
          schema={fieldSchema}
          required={(variant?.required ?? []).includes(field)}
          value={node.config[field]}
          errors={fieldErrors[field]}
          codeLanguage={
            node.config.language === 'python' ? 'python' : node.config.language === 'node' ? 'javascript' : 'text'
          }
          onChange={(value, record) => setField(field, value, record)}
        />
      ))}
      {problems && problems.length > 0 && Object.keys(fieldErrors).length === 0 ? (
        <ul className="inspector-problems">
          {problems.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </aside>
  );
}

function ConfigField(props: {
  field: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  errors: string[] | undefined;
  /** For a code node: the language its `code` field is written in. */
  codeLanguage?: EditorLanguage;
  onChange(value: unknown, record: boolean): void;
}) {
  const { field, schema, value, errors, onChange } = props;
  const label = `${labelFor(field)}${props.required ? ' *' : ''}`;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const checkpoint = () => editorStore.getState().checkpoint();
  let control: React.ReactNode;

  if (field === 'role') {
    control = <RoleSelect value={typeof value === 'string' ? value : ''} onChange={(role) => onChange(role, true)} />;
  } else if (schema.enum) {
    control = (
      <select
        value={value === undefined ? '' : String(value)}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value, true)}
      >
        {props.required ? null : <option value="">(default)</option>}
        {schema.enum.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else if (type === 'array' && schema.items?.enum) {
    const chosen = Array.isArray(value) ? (value as string[]) : [];
    control = (
      <div className="checkbox-grid" role="group" aria-label={label}>
        {schema.items.enum.map((option) => (
          <label key={String(option)} className="toggle">
            <input
              type="checkbox"
              checked={chosen.includes(String(option))}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? [...chosen, String(option)]
                    : chosen.filter((entry) => entry !== String(option)),
                  true,
                )
              }
            />
            <span>{String(option)}</span>
          </label>
        ))}
      </div>
    );
  } else if (type === 'boolean') {
    control = (
      <input type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked, true)} />
    );
  } else if (type === 'integer' || type === 'number') {
    control = (
      <input
        type="number"
        min={schema.minimum}
        max={schema.maximum}
        value={typeof value === 'number' ? value : ''}
        onFocus={checkpoint}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.valueAsNumber, false)}
      />
    );
  } else if (type === 'string') {
    const text = typeof value === 'string' ? value : '';
    control =
      LONG_TEXT_FIELDS.has(field) || (schema.maxLength ?? 0) > 5000 ? (
        <Suspense fallback={<p className="muted small">Loading editor…</p>}>
          <CodeEditor
            label={label}
            language={field === 'code' ? (props.codeLanguage ?? 'text') : 'text'}
            minHeight={field === 'code' ? '180px' : '90px'}
            value={text}
            onFocus={checkpoint}
            onChange={(next) => onChange(next, false)}
          />
        </Suspense>
      ) : (
        <input
          value={text}
          onFocus={checkpoint}
          onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value, false)}
        />
      );
  } else if (type === 'object' && schema.properties && Object.keys(schema.properties).length > 0) {
    // A small structured value (a budget, a map's item) gets a field per property, not raw JSON.
    const current = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    control = (
      <fieldset className="nested-fields">
        {Object.entries(schema.properties).map(([child, childSchema]) => (
          <ConfigField
            key={child}
            field={child}
            schema={childSchema}
            required={(schema.required ?? []).includes(child)}
            value={current[child]}
            errors={undefined}
            onChange={(next, record) => {
              const others = Object.entries(current).filter(([key]) => key !== child);
              const merged = Object.fromEntries(next === undefined ? others : [...others, [child, next]]);
              onChange(Object.keys(merged).length === 0 ? undefined : merged, record);
            }}
          />
        ))}
      </fieldset>
    );
  } else {
    control = <JsonField value={value} onChange={(next) => onChange(next, true)} />;
  }

  return (
    <div className={`field${errors ? ' field-invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {control}
      {schema.description ? <span className="muted small">{schema.description}</span> : null}
      {errors?.map((message) => (
        <span className="field-error" key={message}>
          {message}
        </span>
      ))}
    </div>
  );
}

/** Structured values (tool arguments, budgets, a map's item) edited as JSON, applied when valid. */
function JsonField({ value, onChange }: { value: unknown; onChange(value: unknown): void }) {
  const [draft, setDraft] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <textarea
        className="code-editor"
        rows={4}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => {
          if (draft.trim() === '') {
            setError(null);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(draft) as unknown);
            setError(null);
          } catch (cause) {
            setError(`not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
          }
        }}
      />
      {error ? <span className="field-error">{error}</span> : null}
    </>
  );
}

/** Agent roles come from the presets (shipped and the user's own), with what each one is for. */
function RoleSelect({ value, onChange }: { value: string; onChange(role: string | undefined): void }) {
  const roles = useRoles();
  const known = roles.some((role) => role.name === value);
  const chosen = roles.find((role) => role.name === value);
  return (
    <>
      <select aria-label="Role" value={value} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">(no role)</option>
        {roles.map((role) => (
          <option key={role.name} value={role.name}>
            {role.name}
          </option>
        ))}
        {value && !known ? <option value={value}>{value} (not installed)</option> : null}
      </select>
      {chosen ? (
        <span className="muted small">
          {chosen.description} Default tools: {chosen.tools.join(', ') || 'none'}.
        </span>
      ) : null}
    </>
  );
}
