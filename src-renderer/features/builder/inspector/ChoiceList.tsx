import { useState } from 'react';

/**
 * A list field with fixed choices as checkboxes; when the list may hold other values too, a text field
 * takes those, comma-separated, applied when it loses focus so typing a separator is not undone.
 */
export function ChoiceList(props: {
  label: string;
  choices: { options: string[]; open: boolean };
  value: string[];
  onChange(value: string[]): void;
}) {
  const { label, choices, value, onChange } = props;
  const fixed = value.filter((entry) => choices.options.includes(entry));
  const others = value.filter((entry) => !choices.options.includes(entry));
  const [draft, setDraft] = useState(() => others.join(', '));
  return (
    <>
      <div className="checkbox-grid" role="group" aria-label={label}>
        {choices.options.map((option) => (
          <label key={option} className="toggle">
            <input
              type="checkbox"
              checked={value.includes(option)}
              onChange={(event) =>
                onChange(event.target.checked ? [...value, option] : value.filter((entry) => entry !== option))
              }
            />
            <span>{option}</span>
          </label>
        ))}
      </div>
      {choices.open ? (
        <input
          aria-label={`${label}: others`}
          placeholder="others, comma-separated"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onBlur={() => {
            const typed = draft
              .split(',')
              .map((entry) => entry.trim())
              .filter((entry) => entry !== '');
            setDraft(typed.join(', '));
            if (typed.join() !== others.join()) onChange([...fixed, ...typed]);
          }}
        />
      ) : null}
    </>
  );
}
