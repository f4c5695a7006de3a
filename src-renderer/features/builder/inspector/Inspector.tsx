import { useMemo } from 'react';
import { findNodeKind } from '@shared/node-kinds';
import type { WorkflowNode } from '@shared/workflow';
import { editorStore, useEditor } from '../document/editor';
import { BreakpointFields } from './BreakpointFields';
import { ConfigField } from './ConfigField';
import { configSchema, pickVariant, variantsOf } from './config-schema';
import { TeamInspector } from './TeamInspector';

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
      {node.kind === 'team' && variant ? (
        <TeamInspector schema={variant} config={node.config} fieldErrors={fieldErrors} setField={setField} />
      ) : null}
      {Object.entries(node.kind === 'team' ? {} : (variant?.properties ?? {})).map(([field, fieldSchema]) => (
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
      <BreakpointFields nodeId={node.id} kind={node.kind} />
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
