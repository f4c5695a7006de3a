import { useEffect, useState } from 'react';
import { describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { ErrorMessage } from '../../ui/components';

/** Secrets that mcp.json files reference as `${secret:NAME}`; the page learns names, never values. */
export function McpSecretsSection() {
  const [names, setNames] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.mcp.secrets().then(setNames, (cause: unknown) => setError(describeError(cause)));
  }, []);

  const run = async (action: () => Promise<string[]>) => {
    setError(null);
    try {
      setNames(await action());
      setValue('');
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  return (
    <div className="mcp-secrets">
      <span className="field-label">Secrets for MCP servers</span>
      <ErrorMessage error={error} />
      {names.map((secret) => (
        <div className="secret-row" key={secret}>
          <code>{`\${secret:${secret}}`}</code>
          <span className="badge badge-store">set</span>
          <span />
          <button
            type="button"
            className="button small"
            onClick={() => void run(() => api.mcp.clearSecret({ name: secret }))}
          >
            Remove
          </button>
        </div>
      ))}
      <div className="secret-row">
        <label>
          Name
          <input value={name} placeholder="GITHUB_TOKEN" onChange={(event) => setName(event.target.value)} />
        </label>
        <label>
          Value
          <input type="password" value={value} autoComplete="off" onChange={(event) => setValue(event.target.value)} />
        </label>
        <span />
        <button
          type="button"
          className="button small"
          disabled={name === '' || value === ''}
          onClick={() => void run(() => api.mcp.setSecret({ name, value }))}
        >
          Save secret
        </button>
      </div>
    </div>
  );
}
