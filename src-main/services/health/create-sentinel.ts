import type Database from 'better-sqlite3';
import type { SandboxStatus } from '@shared/sandbox';
import type { Settings } from '@shared/settings';
import type { SecretStore } from '../../store/secret-store';
import type { RunStatsRepository } from '../../store/run-stats-repository';
import { createDatabaseCheck } from './checks/database-check';
import { modelEndpointCheck } from './checks/model-endpoint-check';
import { dockerEngineCheck, sandboxImagesCheck, warmPoolCheck } from './checks/sandbox-checks';
import { dailySpendCheck, diskSpaceCheck, errorRatesCheck } from './checks/threshold-checks';
import type { HealthCheckDefinition, ModelEndpoint } from './health-check';
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

export interface SentinelDependencies {
  profileDir: string;
  databasePath: string;
  db: Database.Database;
  settings: () => Settings;
  sandboxStatus: () => Promise<SandboxStatus>;
  secrets: Pick<SecretStore, 'get'>;
  stats: RunStatsRepository;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  fetch?: typeof fetch;
}

export function createSentinel(dependencies: SentinelDependencies): Sentinel {
  return new Sentinel(sentinelChecks(), {
    profileDir: dependencies.profileDir,
    databasePath: dependencies.databasePath,
    db: dependencies.db,
    settings: dependencies.settings,
    sandboxStatus: dependencies.sandboxStatus,
    modelEndpoint: () => modelEndpointOf(dependencies.settings().llm, dependencies.secrets, dependencies.env),
    stats: dependencies.stats,
    now: dependencies.now,
    fetch: dependencies.fetch ?? fetch,
    intervalSeconds: () => dependencies.settings().health.checkIntervalSeconds,
  });
}
