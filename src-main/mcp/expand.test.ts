import { describe, expect, it } from 'vitest';
import { expandServerConfig, scrubSecrets } from './expand';

const secrets = (name: string) => (name === 'token' ? 'sk-expanded-secret' : null);

describe('expandServerConfig', () => {
  it('substitutes secrets and environment variables (with defaults) in every field', () => {
    const expanded = expandServerConfig(
      'gh',
      { command: '${BIN:-npx}', args: ['--home=${HOME}'], env: { TOKEN: 'Bearer ${secret:token}' }, cwd: '${HOME}/x' },
      secrets,
      { HOME: '/home/me' },
    );
    expect(expanded.config).toMatchObject({
      command: 'npx',
      args: ['--home=/home/me'],
      env: { TOKEN: 'Bearer sk-expanded-secret' },
      cwd: '/home/me/x',
    });
    expect(expanded.secretValues).toEqual(['sk-expanded-secret']);
    const remote = expandServerConfig(
      'web',
      { type: 'http', url: 'https://${HOST}/mcp', headers: { Authorization: '${secret:token}' } },
      secrets,
      { HOST: 'example.com' },
    );
    expect(remote.config).toMatchObject({
      url: 'https://example.com/mcp',
      headers: { Authorization: 'sk-expanded-secret' },
    });
  });

  it('names the missing reference and where it is used, never a value', () => {
    expect(() => expandServerConfig('gh', { command: 'x', env: { A: '${secret:absent}' } }, secrets, {})).toThrow(
      'MCP server "gh": env.A uses the secret "absent", which is not set; save it under that name first',
    );
    expect(() => expandServerConfig('gh', { command: 'x', args: ['${NOPE}'] }, secrets, {})).toThrow(
      'MCP server "gh": args[0] uses the environment variable NOPE, which is not set',
    );
  });

  it('scrubs secret values, the longest first', () => {
    expect(scrubSecrets('a sk-expanded-secret b sk-expanded', ['sk-expanded', 'sk-expanded-secret'])).toBe(
      'a [redacted secret] b [redacted secret]',
    );
  });
});
