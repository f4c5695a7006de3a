/** A list field whose items are fixed choices, as a checkbox per choice. */
export function ChoiceList(props: {
  label: string;
  options: readonly string[];
  value: string[];
  onChange(value: string[]): void;
}) {
  const { label, options, value, onChange } = props;
  return (
    <div className="checkbox-grid" role="group" aria-label={label}>
      {options.map((option) => (
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
  );
}
