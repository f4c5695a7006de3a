import type { Settings } from '@shared/settings';
import type { SecretStore } from '../../store/secret-store';
import { createDatabaseCheck } from './checks/database-check';
import { modelEndpointCheck } from './checks/model-endpoint-check';
import { dockerEngineCheck, sandboxImagesCheck, warmPoolCheck } from './checks/sandbox-checks';
import { dailySpendCheck, diskSpaceCheck, errorRatesCheck } from './checks/threshold-checks';
import type { HealthCheckDefinition, HealthContext, ModelEndpoint } from './health-check';
import { Sentinel } from './sentinel';

export const DEFAULT_ANTHROPIC_URL = 'https://api.anthropic.com';

/** Every check, in the order the health panel and `warroom doctor` show them. */
export function sentinelChecks(): HealthCheckDefinition[] {
  return [
    dockerEngineCheck,
    sandboxImagesCheck,
    warmPoolCheck,
    createDatabaseCheck(),
    modelEndpointCheck,
    errorRatesCheck,
    dailySpendCheck,
    diskSpaceCheck,
  ];
}

/** The endpoint agents' model calls go to, as the provider factory resolves it. */
export function modelEndpointOf(
  llm: Settings['llm'],
  secrets: Pick<SecretStore, 'get'>,
  env: NodeJS.ProcessEnv,
): ModelEndpoint {
  if (llm.provider === 'openai-compatible') {
    return { provider: llm.provider, url: llm.localEndpointUrl, apiKey: secrets.get('localEndpointApiKey') };
  }
  return {
    provider: llm.provider,
    url: llm.anthropicBaseUrl || env.ANTHROPIC_BASE_URL || DEFAULT_ANTHROPIC_URL,
    apiKey: secrets.get('anthropicApiKey'),
  };
}

/** What the checks read as it is, and what the model endpoint is resolved from (the checks get the endpoint). */
export interface SentinelDependencies extends Pick<
  HealthContext,
  'profileDir' | 'databasePath' | 'db' | 'settings' | 'sandboxStatus' | 'stats' | 'now'
> {
  secrets: Pick<SecretStore, 'get'>;
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

export function createSentinel({
  secrets,
  env,
  fetch: fetchImplementation,
  ...context
}: SentinelDependencies): Sentinel {
  return new Sentinel(sentinelChecks(), {
    ...context,
    modelEndpoint: () => modelEndpointOf(context.settings().llm, secrets, env),
    fetch: fetchImplementation ?? fetch,
    intervalSeconds: () => context.settings().health.checkIntervalSeconds,
  });
}
