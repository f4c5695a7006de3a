import type { McpServerConfig } from '@shared/mcp';
import { McpUnavailableError } from './port';

/** Looks up a saved secret by name; null when it is not set. */
export type SecretResolver = (name: string) => string | null;

export interface ExpandedServerConfig {
  config: McpServerConfig;
  /** The secret values substituted, so logs, errors and results can be scrubbed of them. */
  secretValues: string[];
}

const REFERENCE = /\$\{(secret:)?([A-Za-z_][A-Za-z0-9_.-]*)(?::-([^}]*))?\}/g;

/**
 * Substitutes `${secret:NAME}` (a saved secret) and `${VAR}` / `${VAR:-default}` (the environment) in
 * every string the server is started or reached with. Errors name the reference, never a value.
 */
export function expandServerConfig(
  server: string,
  config: McpServerConfig,
  resolveSecret: SecretResolver,
  env: NodeJS.ProcessEnv,
): ExpandedServerConfig {
  const secretValues: string[] = [];
  const expand = (text: string, place: string): string =>
    text.replace(REFERENCE, (_match, secret: string | undefined, name: string, fallback: string | undefined) => {
      if (secret) {
        const value = resolveSecret(name);
        if (value === null) {
          throw new McpUnavailableError(
            `MCP server "${server}": ${place} uses the secret "${name}", which is not set; save it under that name first`,
          );
        }
        secretValues.push(value);
        return value;
      }
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      throw new McpUnavailableError(
        `MCP server "${server}": ${place} uses the environment variable ${name}, which is not set`,
      );
    });
  const expandMap = (map: Record<string, string> | undefined, place: string) =>
    map === undefined
      ? undefined
      : Object.fromEntries(Object.entries(map).map(([key, value]) => [key, expand(value, `${place}.${key}`)]));

  if ('command' in config) {
    const env = expandMap(config.env, 'env');
    const args = config.args?.map((arg, index) => expand(arg, `args[${index}]`));
    return {
      config: {
        ...config,
        command: expand(config.command, 'command'),
        ...(args ? { args } : {}),
        ...(env ? { env } : {}),
        ...(config.cwd ? { cwd: expand(config.cwd, 'cwd') } : {}),
      },
      secretValues,
    };
  }
  const headers = expandMap(config.headers, 'headers');
  return {
    config: { ...config, url: expand(config.url, 'url'), ...(headers ? { headers } : {}) },
    secretValues,
  };
}

/** Replaces every known secret value in `text` (longest first, so a secret inside another is not left half). */
export function scrubSecrets(text: string, secretValues: readonly string[]): string {
  let out = text;
  for (const value of [...secretValues].filter((secret) => secret.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(value).join('[redacted secret]');
  }
  return out;
}
