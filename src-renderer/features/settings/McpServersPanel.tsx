import { useEffect, useState } from 'react';
import { McpServerConfigSchema, type McpServerStatus, type McpTrustPrompt } from '@shared/mcp';
import { formatPath } from '@shared/errors';
import { describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { ErrorMessage, Panel } from '../../ui/components';
import { McpSecretsSection } from './McpSecretsSection';

const EXAMPLE = JSON.stringify(
  { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/path/to/dir'] },
  null,
  2,
);

/** The config typed in the editor, checked with the schema the server enforces; the problem otherwise. */
function parseConfig(text: string): { config: McpServerStatus['config'] } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not valid JSON: ${(error as Error).message}` };
  }
  const parsed = McpServerConfigSchema.safeParse(value);
  if (parsed.success) return { config: parsed.data };
  return { problem: parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('\n') };
}

/** Settings → MCP servers: status and tools of each server, editing the profile's mcp.json, project trust. */
export function McpServersPanel() {
  const [servers, setServers] = useState<McpServerStatus[]>([]);
  const [prompts, setPrompts] = useState<McpTrustPrompt[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ name: string; text: string; isNew: boolean } | null>(null);
  /** A project whose .mcp.json servers are shown too (and offered for approval). */
  const [projectDir, setProjectDir] = useState('');
  const project = projectDir.trim() === '' ? {} : { projectDir: projectDir.trim() };

  const perform = async (label: string, action: () => Promise<unknown>) => {
    setBusy(label);
    setError(null);
    try {
      await action();
      // Listing a project's servers is what puts its undecided file among the prompts: list first.
      setServers(await api.mcp.list({ connect: false, ...project }));
      setPrompts(await api.mcp.trustPrompts());
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(null);
    }
  };

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([api.mcp.list({ connect: false }, { signal: controller.signal }), api.mcp.trustPrompts()]).then(
      ([list, pending]) => {
        setServers(list);
        setPrompts(pending);
      },
      (cause: unknown) => {
        if (!controller.signal.aborted) setError(describeError(cause));
      },
    );
    return () => controller.abort();
  }, []);

  const replace = (status: McpServerStatus) =>
    setServers((current) => current.map((entry) => (entry.name === status.name ? status : entry)));

  const decideTrust = (prompt: McpTrustPrompt, approve: boolean) =>
    void perform('trust', () => api.mcp.decideTrust({ ...prompt, approve }));

  const saveEditing = () => {
    if (!editing) return;
    const parsed = parseConfig(editing.text);
    if ('problem' in parsed) return setError(`${editing.name || '(name)'}: ${parsed.problem}`);
    void perform('save', async () => {
      await api.mcp.save({ name: editing.name, config: parsed.config });
      setEditing(null);
    });
  };

  return (
    <Panel title="MCP servers">
      <p className="muted small">
        Servers from <code>mcp.json</code> in your profile (the <code>mcpServers</code> format of Claude Desktop and
        Claude Code). Agents use their tools as <code>mcp__server__tool</code>. Use <code>{'${secret:NAME}'}</code> for
        saved secrets and <code>{'${VAR}'}</code> for environment variables.
      </p>
      <ErrorMessage error={error} />
      <label className="field">
        <span className="field-label">Project folder (to see and approve its .mcp.json servers)</span>
        <input
          value={projectDir}
          placeholder="/path/to/project"
          onChange={(event) => setProjectDir(event.target.value)}
          onBlur={() => void perform('project', () => Promise.resolve())}
        />
      </label>
      {prompts.map((prompt) => (
        <div className="mcp-server-row" key={prompt.projectDir} role="alert">
          <strong>{prompt.file}</strong> wants to start: {prompt.servers.join(', ')}. A project’s .mcp.json can run
          programs on this machine; approve it only if you trust the project.
          <div className="mcp-actions">
            <button type="button" className="button primary small" onClick={() => decideTrust(prompt, true)}>
              Approve
            </button>
            <button type="button" className="button small" onClick={() => decideTrust(prompt, false)}>
              Deny
            </button>
          </div>
        </div>
      ))}
      {servers.map((server) => (
        <div className="mcp-server-row" key={server.name} data-testid={`mcp-server-${server.name}`}>
          <strong>{server.name}</strong> <span className={`badge badge-${server.state}`}>{server.state}</span>{' '}
          <span className="muted small">
            {server.transport}
            {server.toolCount === null ? '' : ` · ${server.toolCount} tools`} · {server.file}
          </span>
          {server.error ? <p className="field-error">{server.error}</p> : null}
          {server.tools.length > 0 ? (
            <p className="muted small">{server.tools.map((tool) => tool.tool).join(', ')}</p>
          ) : null}
          {editing?.name === server.name && !editing.isNew ? (
            <textarea
              aria-label={`Configuration of ${server.name}`}
              value={editing.text}
              onChange={(event) => setEditing({ ...editing, text: event.target.value })}
            />
          ) : null}
          <div className="mcp-actions">
            <button
              type="button"
              className="button small"
              disabled={busy !== null}
              onClick={() =>
                void perform('test', async () => replace(await api.mcp.test({ name: server.name, ...project })))
              }
            >
              {busy === 'test' ? 'Testing…' : 'Test connection'}
            </button>
            {server.source === 'profile' ? (
              <>
                {editing?.name === server.name ? (
                  <button type="button" className="button primary small" onClick={saveEditing}>
                    Save
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button small"
                    onClick={() =>
                      setEditing({ name: server.name, text: JSON.stringify(server.config, null, 2), isNew: false })
                    }
                  >
                    Edit
                  </button>
                )}
                <button
                  type="button"
                  className="button small"
                  onClick={() =>
                    void perform('enable', () =>
                      api.mcp.setEnabled({ name: server.name, enabled: server.state === 'disabled' }),
                    )
                  }
                >
                  {server.state === 'disabled' ? 'Enable' : 'Disable'}
                </button>
                <button
                  type="button"
                  className="button small"
                  onClick={() => void perform('remove', () => api.mcp.remove({ name: server.name }))}
                >
                  Remove
                </button>
              </>
            ) : null}
          </div>
        </div>
      ))}
      {editing?.isNew ? (
        <div className="mcp-server-row">
          <label className="field">
            <span className="field-label">Name</span>
            <input value={editing.name} onChange={(event) => setEditing({ ...editing, name: event.target.value })} />
          </label>
          <textarea
            aria-label="Configuration of the new server"
            value={editing.text}
            onChange={(event) => setEditing({ ...editing, text: event.target.value })}
          />
          <div className="mcp-actions">
            <button type="button" className="button primary small" onClick={saveEditing}>
              Add server
            </button>
            <button type="button" className="button small" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="mcp-actions">
          <button
            type="button"
            className="button small"
            onClick={() => setEditing({ name: '', text: EXAMPLE, isNew: true })}
          >
            Add server
          </button>
          <button
            type="button"
            className="button small"
            disabled={busy !== null}
            onClick={() =>
              void perform('connect', async () => setServers(await api.mcp.list({ connect: true, ...project })))
            }
          >
            {busy === 'connect' ? 'Connecting…' : 'Connect all'}
          </button>
        </div>
      )}
      <McpSecretsSection />
    </Panel>
  );
}
