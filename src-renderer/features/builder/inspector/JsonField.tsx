import { useState } from 'react';

/** Structured values (tool arguments, budgets, a map's item) edited as JSON, applied when valid. */
export function JsonField({ value, onChange }: { value: unknown; onChange(value: unknown): void }) {
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
