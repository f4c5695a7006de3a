import { TEAM_TOPOLOGIES, type TeamMember, type TeamTopology } from '@shared/node-kinds';
import { ConfigField } from './ConfigField';
import type { JsonSchema } from './config-schema';
import { TeamMembersEditor } from './TeamMembersEditor';

const TOPOLOGY_HELP: Record<TeamTopology, string> = {
  hierarchical: 'A coordinator breaks the goal into tasks and delegates them to the members (a task tree).',
  mesh: 'The members discuss on a shared message board, round after round, until they all agree.',
  vote: 'The members answer independently; the answers are combined by majority, unanimity or a judge.',
};

/** The fields each topology uses, beyond the goal and the members; the others do nothing for it. */
const TOPOLOGY_FIELDS: Record<TeamTopology, (config: Record<string, unknown>) => string[]> = {
  hierarchical: () => ['coordinator', 'allowMemberDelegation', 'maxDepth', 'maxAgents', 'onMemberError'],
  mesh: () => ['maxRounds', 'onMemberError'],
  vote: (config) => ['aggregation', 'quorum', 'voterTimeoutMs', ...(config.aggregation === 'judge' ? ['judge'] : [])],
};
const LIMIT_FIELDS = ['maxTurns', 'maxTokens', 'budget', 'timeoutMs', 'onError'];

/**
 * The team node's form: the topology first, since it decides which settings apply, then the goal, the
 * members, the topology's own settings, and the limits every member runs under.
 */
export function TeamInspector(props: {
  schema: JsonSchema;
  config: Record<string, unknown>;
  fieldErrors: Record<string, string[]>;
  setField(field: string, value: unknown, record: boolean): void;
}) {
  const { schema, config, fieldErrors, setField } = props;
  const topology = TEAM_TOPOLOGIES.find((option) => option === config.topology);
  const members = Array.isArray(config.members) ? (config.members as TeamMember[]) : [];
  const field = (name: string) => {
    const fieldSchema = schema.properties?.[name];
    return fieldSchema ? (
      <ConfigField
        key={name}
        field={name}
        schema={fieldSchema}
        required={(schema.required ?? []).includes(name)}
        value={withDefaultRole(config[name], fieldSchema)}
        errors={fieldErrors[name]}
        onChange={(value, record) => setField(name, value, record)}
      />
    ) : null;
  };

  return (
    <>
      <label className={`field${fieldErrors.topology ? ' field-invalid' : ''}`}>
        <span className="field-label">Topology *</span>
        <select
          value={topology ?? ''}
          onChange={(event) => setField('topology', event.target.value || undefined, true)}
        >
          {topology ? null : <option value="">(choose how the team works)</option>}
          {TEAM_TOPOLOGIES.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        {topology ? <span className="muted small">{TOPOLOGY_HELP[topology]}</span> : null}
        {fieldErrors.topology?.map((message) => (
          <span className="field-error" key={message}>
            {message}
          </span>
        ))}
      </label>
      {field('prompt')}
      <TeamMembersEditor
        members={members}
        memberSchema={schema.properties?.members?.items}
        errors={fieldErrors.members}
        onChange={(next, record) => setField('members', next, record)}
      />
      {topology ? (
        <section aria-label={`${topology} settings`}>
          <h3 className="run-section">{topology[0]?.toUpperCase() + topology.slice(1)} settings</h3>
          {TOPOLOGY_FIELDS[topology](config).map(field)}
        </section>
      ) : null}
      <section aria-label="Limits">
        <h3 className="run-section">Limits (each member) and the team budget</h3>
        {LIMIT_FIELDS.map(field)}
      </section>
    </>
  );
}

/** The coordinator and the judge show the role the engine uses when none is chosen, not "(no role)". */
function withDefaultRole(value: unknown, schema: JsonSchema): unknown {
  const role = schema.properties?.role?.default;
  if (typeof role !== 'string') return value;
  const current = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return { role, ...current };
}
