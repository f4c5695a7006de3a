import { useEffect, useState } from 'react';
import { formatPath } from '@shared/errors';
import { HealthSettingsSchema, type Settings } from '@shared/settings';
import { deliverUnlessCancelled, describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { ErrorMessage, NumberInput, SuccessMessage } from '../../ui/components';

type Thresholds = Settings['health'];

const FIELDS: ReadonlyArray<{ key: keyof Thresholds; label: string; step: number }> = [
  { key: 'dailySpendUsd', label: 'Daily spend alert (USD)', step: 1 },
  { key: 'errorRate', label: 'Model error rate alert (0–1)', step: 0.05 },
  { key: 'minFreeDiskMb', label: 'Minimum free disk (MB)', step: 256 },
  { key: 'checkIntervalSeconds', label: 'Check every (seconds)', step: 10 },
];

/** The Sentinel's thresholds (settings section `health`), checked with the schema the server enforces. */
export function HealthThresholds() {
  const [draft, setDraft] = useState<Thresholds | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => deliverUnlessCancelled(api.settings.get(), (settings) => setDraft(settings.health), setError), []);

  if (!draft) return <ErrorMessage error={error} />;
  const parsed = HealthSettingsSchema.safeParse(draft);
  const problems = parsed.success
    ? {}
    : Object.fromEntries(parsed.error.issues.map((issue) => [formatPath(issue.path), issue.message]));

  const save = () => {
    setError(null);
    api.settings.update({ health: draft }).then(
      (settings) => {
        setDraft(settings.health);
        setSaved('Thresholds saved.');
      },
      (cause: unknown) => setError(describeError(cause)),
    );
  };

  return (
    <details className="health-thresholds">
      <summary>Alert thresholds</summary>
      <div className="stat-figures">
        {FIELDS.map((field) => (
          <label key={field.key} className="field">
            <span className="field-label">{field.label}</span>
            <NumberInput
              value={draft[field.key]}
              step={field.step}
              onChange={(value) => {
                setSaved(null);
                setDraft({ ...draft, [field.key]: value });
              }}
            />
            {problems[field.key] ? <span className="field-error">{problems[field.key]}</span> : null}
          </label>
        ))}
      </div>
      <button type="button" className="button" onClick={save} disabled={!parsed.success}>
        Save thresholds
      </button>
      <ErrorMessage error={error} />
      <SuccessMessage message={saved} />
    </details>
  );
}
