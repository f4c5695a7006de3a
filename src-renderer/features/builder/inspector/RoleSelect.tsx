import { useRoles } from './role-catalog';

/** Agent roles come from the presets (shipped and the user's own), with what each one is for. */
export function RoleSelect({ value, onChange }: { value: string; onChange(role: string | undefined): void }) {
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
