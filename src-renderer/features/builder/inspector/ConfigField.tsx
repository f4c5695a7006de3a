import { lazy, Suspense, type ReactNode } from 'react';
import type { EditorLanguage } from '../../../ui/CodeEditor';
import { editorStore } from '../document/editor';
import { ChoiceList } from './ChoiceList';
import { arrayChoices, labelFor, LONG_TEXT_FIELDS, type JsonSchema } from './config-schema';
import { JsonField } from './JsonField';
import { RoleSelect } from './RoleSelect';
import { ToolPicker } from './ToolPicker';

/** CodeMirror is loaded when a prompt or code field is first shown, not with the app. */
const CodeEditor = lazy(() => import('../../../ui/CodeEditor').then((module) => ({ default: module.CodeEditor })));

/** One config field, its editor chosen by the field's schema: a choice, a number, prose or code, a nested value. */
export function ConfigField(props: {
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
  const choices = type === 'array' ? arrayChoices(schema) : null;
  const checkpoint = () => editorStore.getState().checkpoint();
  let control: ReactNode;

  if (field === 'role') {
    control = <RoleSelect value={typeof value === 'string' ? value : ''} onChange={(role) => onChange(role, true)} />;
  } else if (field === 'tools' && type === 'array') {
    control = (
      <ToolPicker value={Array.isArray(value) ? (value as string[]) : []} onChange={(tools) => onChange(tools, true)} />
    );
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
  } else if (choices) {
    control = (
      <ChoiceList
        label={label}
        options={choices}
        value={Array.isArray(value) ? value.filter((entry) => typeof entry === 'string') : []}
        onChange={(next) => onChange(next, true)}
      />
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
