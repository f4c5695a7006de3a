import { BUILT_IN_TOOLS } from '@shared/node-kinds';
import { refreshMcpTools, useMcpTools } from './mcp-tool-catalog';

/**
 * An agent's tools: the built-in ones, then every configured MCP server's tools with their descriptions,
 * named `mcp__<server>__<tool>`. A chosen tool no server offers now stays listed so it can be removed.
 */
export function ToolPicker({ value, onChange }: { value: string[]; onChange(tools: string[]): void }) {
  const { servers, loading, error } = useMcpTools();
  const toggle = (name: string, checked: boolean) =>
    onChange(checked ? [...value, name] : value.filter((entry) => entry !== name));
  const offered = new Set<string>([...BUILT_IN_TOOLS, ...servers.flatMap((server) => server.tools.map((t) => t.name))]);
  const missing = value.filter((name) => !offered.has(name));
  const option = (name: string, description?: string) => (
    <label key={name} className="toggle" title={description}>
      <input type="checkbox" checked={value.includes(name)} onChange={(event) => toggle(name, event.target.checked)} />
      <span>{name}</span>
    </label>
  );
  return (
    <div className="tool-picker" role="group" aria-label="Tools">
      <div className="checkbox-grid">{BUILT_IN_TOOLS.map((name) => option(name))}</div>
      {servers.map((server) => (
        <div key={server.name} className="tool-picker-server">
          <span className="field-label">
            MCP · {server.name}{' '}
            <span className="muted small">
              {server.state === 'connected'
                ? `${server.toolCount ?? 0} tools`
                : `${server.state}${server.error ? `: ${server.error}` : ''}`}
            </span>
          </span>
          {server.tools.map((tool) => (
            <label key={tool.name} className="toggle tool-picker-mcp">
              <input
                type="checkbox"
                checked={value.includes(tool.name)}
                onChange={(event) => toggle(tool.name, event.target.checked)}
              />
              <span>
                <code>{tool.tool}</code>
                {tool.policy === 'ask' ? <span className="badge">asks first</span> : null}
                <span className="muted small"> {tool.description}</span>
              </span>
            </label>
          ))}
        </div>
      ))}
      {missing.map((name) => (
        <label key={name} className="toggle field-invalid">
          <input type="checkbox" checked onChange={() => toggle(name, false)} />
          <span>
            {name} <span className="muted small">(no configured server offers it now)</span>
          </span>
        </label>
      ))}
      {error ? <span className="field-error">{error}</span> : null}
      <button type="button" className="button small" disabled={loading} onClick={refreshMcpTools}>
        {loading ? 'Connecting MCP servers…' : 'Refresh MCP tools'}
      </button>
    </div>
  );
}
