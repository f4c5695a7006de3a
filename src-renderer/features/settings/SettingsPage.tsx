import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatPath } from '@shared/errors';
import { SettingsPatchSchema, type SecretName, type SecretStatus, type Settings } from '@shared/settings';
import { describeError, problemsOf } from '../../api/errors';
import { api } from '../../stores/connection';
import { ErrorMessage, NumberInput, PageHeader, Panel, SuccessMessage } from '../../ui/components';
import { McpServersPanel } from './McpServersPanel';

type FieldErrors = Record<string, string>;

/** Settings of this profile, validated in place with the same schema the server enforces. */
export function SettingsPage() {
  const [saved, setSaved] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});

  useEffect(() => {
    const controller = new AbortController();
    api.settings
      .get(undefined, { signal: controller.signal })
      .then((settings) => {
        setSaved(settings);
        setDraft(settings);
      })
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(describeError(cause));
      });
    return () => controller.abort();
  }, []);

  const dirty = useMemo(() => JSON.stringify(saved) !== JSON.stringify(draft), [saved, draft]);
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty;
  }, [dirty]);

  // Keep in step with edits made in another window, unless the user is editing here.
  useEffect(() => {
    const controller = new AbortController();
    void (async () => {
      try {
        const stream = await api.settings.changes(undefined, { signal: controller.signal });
        for await (const change of stream) {
          setSaved(change.settings);
          setDraft((current) => (current === null || !dirtyRef.current ? change.settings : current));
        }
      } catch {
        // The stream ends when the page unmounts or the connection drops; a reload resubscribes.
      }
    })();
    return () => controller.abort();
  }, []);

  const fieldErrors = useMemo<FieldErrors>(() => {
    if (!draft) return {};
    const result = SettingsPatchSchema.safeParse(draft);
    const errors: FieldErrors = { ...serverErrors };
    if (!result.success) for (const issue of result.error.issues) errors[formatPath(issue.path)] = issue.message;
    return errors;
  }, [draft, serverErrors]);

  const update = useCallback(<S extends keyof Settings>(section: S, field: keyof Settings[S], value: unknown) => {
    setDraft((current) => (current ? { ...current, [section]: { ...current[section], [field]: value } } : current));
    setServerErrors({});
    setStatus(null);
  }, []);

  const save = async () => {
    if (!draft) return;
    setError(null);
    try {
      const next = await api.settings.update(draft);
      setSaved(next);
      setDraft(next);
      setStatus('Settings saved.');
    } catch (cause) {
      const problems = problemsOf(cause);
      setServerErrors(Object.fromEntries(problems.map((problem) => [problem.path, problem.message])));
      setError(describeError(cause));
    }
  };

  if (!draft) {
    return (
      <>
        <PageHeader title="Settings" />
        <ErrorMessage error={error} />
        {error ? null : <p className="muted">Loading settings…</p>}
      </>
    );
  }

  const invalid = Object.keys(fieldErrors).length > 0;
  const numberFields = <S extends 'engine' | 'sandbox'>(section: S, fields: NumberFieldTable<S>) =>
    fields.map(([field, label, limits]) => (
      <Field key={field} label={label} error={fieldErrors[`${section}.${field}`]}>
        <NumberInput
          {...limits}
          value={Number(draft[section][field])}
          onChange={(value) => update(section, field, value)}
        />
      </Field>
    ));
  const toggle = <S extends keyof Settings>(section: S, field: FieldOf<Settings[S], boolean>, label: string) => (
    <Toggle
      label={label}
      checked={Boolean(draft[section][field])}
      onChange={(checked) => update(section, field, checked)}
    />
  );
  return (
    <>
      <PageHeader
        title="Settings"
        subtitle="Stored in this profile's database."
        actions={
          <>
            <button type="button" className="button" disabled={!dirty} onClick={() => setDraft(saved)}>
              Discard changes
            </button>
            <button type="button" className="button primary" disabled={!dirty || invalid} onClick={() => void save()}>
              Save settings
            </button>
          </>
        }
      />
      <ErrorMessage error={error} />
      <SuccessMessage message={status} />
      <form
        className="settings-grid"
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty && !invalid) void save();
        }}
      >
        <Panel title="Models">
          <Field label="Provider" error={fieldErrors['llm.provider']}>
            <select value={draft.llm.provider} onChange={(event) => update('llm', 'provider', event.target.value)}>
              <option value="anthropic">Anthropic (Claude)</option>
              <option value="openai-compatible">Local OpenAI-compatible endpoint</option>
            </select>
          </Field>
          <Field label="Claude model" error={fieldErrors['llm.model']}>
            <input value={draft.llm.model} onChange={(event) => update('llm', 'model', event.target.value)} />
          </Field>
          <Field label="Anthropic base URL (blank = default)" error={fieldErrors['llm.anthropicBaseUrl']}>
            <input
              value={draft.llm.anthropicBaseUrl}
              placeholder="https://api.anthropic.com"
              onChange={(event) => update('llm', 'anthropicBaseUrl', event.target.value)}
            />
          </Field>
          <Field label="Local endpoint URL" error={fieldErrors['llm.localEndpointUrl']}>
            <input
              value={draft.llm.localEndpointUrl}
              onChange={(event) => update('llm', 'localEndpointUrl', event.target.value)}
            />
          </Field>
          <Field label="Local model" error={fieldErrors['llm.localModel']}>
            <input value={draft.llm.localModel} onChange={(event) => update('llm', 'localModel', event.target.value)} />
          </Field>
        </Panel>
        <Panel title="Engine">{numberFields('engine', ENGINE_NUMBER_FIELDS)}</Panel>
        <Panel title="Memory">
          {toggle(
            'memory',
            'synthesizeAfterRuns',
            'Summarize finished runs into project memory (one model call per run)',
          )}
          <p className="muted small">
            Agents also receive relevant memories in their prompt; turn that off per agent in its Memory field.
          </p>
        </Panel>
        <Panel title="Sandbox (Docker)">
          {numberFields('sandbox', SANDBOX_NUMBER_FIELDS)}
          <Field label="Image source" error={fieldErrors['sandbox.imageSource']}>
            <select
              value={draft.sandbox.imageSource}
              onChange={(event) => update('sandbox', 'imageSource', event.target.value)}
            >
              <option value="auto">Automatic (offline base if present, else public images)</option>
              <option value="public">Public base images (needs a registry)</option>
              <option value="offline">Offline Debian base (air-gapped)</option>
            </select>
          </Field>
        </Panel>
        <Panel title="Privacy">
          {toggle(
            'privacy',
            'redactToModel',
            'Redact secrets in file contents and tool results before they go to the model',
          )}
          <p className="muted small">
            Run events, memory, exports and this window are always redacted; this switch only decides what the model
            sees.
          </p>
        </Panel>
        <Panel title="Interface">
          {toggle('ui', 'reduceMotion', 'Reduce motion')}
          {toggle('ui', 'confirmBeforeDelete', 'Confirm before deleting')}
        </Panel>
      </form>
      <ApiKeysPanel />
      <McpServersPanel />
    </>
  );
}

/** The fields of a settings section whose values are of type `V`. */
type FieldOf<T, V> = { [K in keyof T]-?: T[K] extends V ? K : never }[keyof T] & string;
/** Number fields, each bounded by the schema (out-of-range values are flagged in place). */
type NumberFieldTable<S extends keyof Settings> = ReadonlyArray<
  [field: FieldOf<Settings[S], number>, label: string, limits: { min?: number; max?: number; step?: number }]
>;

const ENGINE_NUMBER_FIELDS: NumberFieldTable<'engine'> = [
  ['maxConcurrency', 'Parallel branches (max)', { min: 1, max: 32 }],
  ['defaultRunBudgetUsd', 'Default run budget (USD)', { min: 0, step: 0.5 }],
];

const SANDBOX_NUMBER_FIELDS: NumberFieldTable<'sandbox'> = [
  ['timeoutSeconds', 'Timeout per execution (s)', { step: 1 }],
  ['memoryMb', 'Memory (MB)', { step: 64 }],
  ['cpus', 'CPUs', { step: 0.5 }],
  ['pidsLimit', 'Max processes', { step: 16 }],
  ['tmpfsMb', 'Writable /tmp and /out (MB)', { step: 8 }],
  ['outputCapKb', 'Output kept per stream (KB)', { step: 64 }],
  ['warmPoolSize', 'Warm containers per image', { step: 1 }],
  ['idleTimeoutSeconds', 'Reap idle containers after (s)', { step: 10 }],
];

const SECRET_LABELS: Record<SecretName, string> = {
  anthropicApiKey: 'Anthropic API key',
  localEndpointApiKey: 'Local endpoint API key',
};

function ApiKeysPanel() {
  const [statuses, setStatuses] = useState<SecretStatus[]>([]);
  const [values, setValues] = useState<Partial<Record<SecretName, string>>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.secrets.status().then(setStatuses, (cause: unknown) => setError(describeError(cause)));
  }, []);

  const replace = (next: SecretStatus) =>
    setStatuses((current) => current.map((entry) => (entry.name === next.name ? next : entry)));

  /** Sends a change of a key and shows the key's new status, or why the change failed; says whether it went through. */
  const change = async (request: () => Promise<SecretStatus>): Promise<boolean> => {
    setError(null);
    try {
      replace(await request());
      return true;
    } catch (cause) {
      setError(describeError(cause));
      return false;
    }
  };
  const save = async (name: SecretName) => {
    if (await change(() => api.secrets.set({ name, value: values[name] ?? '' }))) {
      setValues((current) => ({ ...current, [name]: '' }));
    }
  };
  const clear = (name: SecretName) => change(() => api.secrets.clear({ name }));

  return (
    <Panel title="API keys">
      <p className="muted">
        Keys stay in the main process: the desktop app encrypts them with the system keychain; browser mode stores them
        in the profile, readable only by you. An environment variable, when set, takes precedence.
      </p>
      <ErrorMessage error={error} />
      {statuses.map((status) => (
        <div className="secret-row" key={status.name}>
          <label>
            <span>{SECRET_LABELS[status.name]}</span>
            <input
              type="password"
              autoComplete="off"
              placeholder={status.source === 'none' ? 'not set' : 'set — type to replace'}
              value={values[status.name] ?? ''}
              onChange={(event) => setValues((current) => ({ ...current, [status.name]: event.target.value }))}
            />
          </label>
          <span className={`badge badge-${status.source}`} data-testid={`secret-${status.name}`}>
            {{ environment: 'from environment', store: 'saved', none: 'not set' }[status.source]}
          </span>
          <button
            type="button"
            className="button"
            disabled={!(values[status.name] ?? '').trim()}
            onClick={() => void save(status.name)}
          >
            Save key
          </button>
          <button
            type="button"
            className="button"
            disabled={status.source !== 'store'}
            onClick={() => void clear(status.name)}
          >
            Remove
          </button>
        </div>
      ))}
    </Panel>
  );
}

function Field({ label, error, children }: { label: string; error: string | undefined; children: React.ReactNode }) {
  return (
    <label className={`field${error ? ' field-invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? <span className="field-error">{error}</span> : null}
    </label>
  );
}

function Toggle({ label, checked, onChange }: { label: string; checked: boolean; onChange(checked: boolean): void }) {
  return (
    <label className="toggle">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      <span>{label}</span>
    </label>
  );
}
