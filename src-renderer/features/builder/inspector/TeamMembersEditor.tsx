import type { ChangeEvent } from 'react';
import { BUILT_IN_TOOLS, type TeamMember } from '@shared/node-kinds';
import { editorStore } from '../document/editor';
import { ToolPicker } from './ToolPicker';
import { ConfigField } from './ConfigField';
import type { JsonSchema } from './config-schema';
import { useRoles } from './role-catalog';
import { RoleSelect } from './RoleSelect';
import './team-inspector.css';

/**
 * A team's members, one card each: the role (a preset, with what it is for), an optional model, an
 * addition to the role's prompt, the tools (the role's own unless chosen here) and a budget.
 */
export function TeamMembersEditor(props: {
  members: readonly TeamMember[];
  /** The JSON Schema of one member, for the fields edited by the generic form (the budget). */
  memberSchema: JsonSchema | undefined;
  errors: string[] | undefined;
  onChange(members: TeamMember[], record: boolean): void;
}) {
  const { members, onChange } = props;
  const roles = useRoles();
  const update = (index: number, member: TeamMember, record: boolean) =>
    onChange(
      members.map((current, at) => (at === index ? member : current)),
      record,
    );
  const add = () => {
    // A new member takes the first role the team has not got yet, so adding a few in a row is quick.
    const taken = new Set(members.map((member) => member.role));
    const role = roles.find((preset) => !taken.has(preset.name) && preset.name !== 'coordinator')?.name ?? 'coder';
    onChange([...members, { role }], true);
  };

  return (
    <div className={`field${props.errors ? ' field-invalid' : ''}`}>
      <span className="field-label">Members *</span>
      {members.length === 0 ? <p className="muted small">A team needs at least one member.</p> : null}
      {members.map((member, index) => (
        <MemberCard
          key={index}
          index={index}
          member={member}
          memberSchema={props.memberSchema}
          onChange={(next, record) => update(index, next, record)}
          onRemove={() =>
            onChange(
              members.filter((_, at) => at !== index),
              true,
            )
          }
        />
      ))}
      <button type="button" className="button small" onClick={add}>
        + Add member
      </button>
      {props.errors?.map((message) => (
        <span className="field-error" key={message}>
          {message}
        </span>
      ))}
    </div>
  );
}

function MemberCard(props: {
  index: number;
  member: TeamMember;
  memberSchema: JsonSchema | undefined;
  onChange(member: TeamMember, record: boolean): void;
  onRemove(): void;
}) {
  const { member, index } = props;
  const roles = useRoles();
  const roleTools = roles.find((role) => role.name === member.role)?.tools ?? [];
  const set = <K extends keyof TeamMember>(field: K, value: TeamMember[K] | undefined, record: boolean) => {
    // An unset field is left out rather than stored as undefined, so the saved JSON stays minimal.
    const entries = Object.entries({ ...member, [field]: value }).filter(([, entry]) => entry !== undefined);
    props.onChange(Object.fromEntries(entries) as TeamMember, record);
  };
  const checkpoint = () => editorStore.getState().checkpoint();
  /** An optional text of the member: history records the edit from focus on; a blank field unsets it. */
  const textOf = (field: 'model' | 'prompt') => ({
    value: member[field] ?? '',
    onFocus: checkpoint,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      set(field, event.target.value || undefined, false),
  });
  const budgetSchema = props.memberSchema?.properties?.budget;

  return (
    <fieldset className="team-member" aria-label={`Member ${index + 1}`} data-testid={`team-member-${index}`}>
      <legend className="team-member-legend">
        Member {index + 1}
        <button
          type="button"
          className="button small danger"
          aria-label={`Remove member ${index + 1}`}
          onClick={props.onRemove}
        >
          Remove
        </button>
      </legend>
      <div className="field">
        <span className="field-label">Role *</span>
        <RoleSelect value={member.role} onChange={(role) => set('role', role ?? '', true)} />
      </div>
      <label className="field">
        <span className="field-label">Model</span>
        <input {...textOf('model')} placeholder="the run's default model" />
      </label>
      <label className="field">
        <span className="field-label">Prompt addition</span>
        <textarea {...textOf('prompt')} rows={2} placeholder="added to the role's system prompt for this member" />
      </label>
      <div className="field">
        <span className="field-label">Tools</span>
        <label className="toggle">
          <input
            type="checkbox"
            checked={member.tools === undefined}
            onChange={(event) => set('tools', event.target.checked ? undefined : roleTools.filter(isBuiltInTool), true)}
          />
          <span>the role’s own ({roleTools.join(', ') || 'none'})</span>
        </label>
        {member.tools !== undefined ? (
          <ToolPicker value={member.tools} onChange={(tools) => set('tools', tools, true)} />
        ) : null}
      </div>
      {budgetSchema ? (
        <ConfigField
          field="budget"
          schema={budgetSchema}
          required={false}
          value={member.budget}
          errors={undefined}
          onChange={(budget, record) => set('budget', budget as TeamMember['budget'], record)}
        />
      ) : null}
    </fieldset>
  );
}

function isBuiltInTool(name: string): name is (typeof BUILT_IN_TOOLS)[number] {
  return (BUILT_IN_TOOLS as readonly string[]).includes(name);
}
