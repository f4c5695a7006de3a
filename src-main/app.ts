import type { AppInfo, Health } from '@shared/contract';
import { openDatabase } from './store/database';
import { FileSecretStore, type SecretCipher, type SecretStore } from './store/secret-store';
import { SettingsRepository } from './store/settings-repository';
import { WorkflowRepository } from './store/workflow-repository';
import { SettingsService } from './services/settings-service';
import { WorkflowService } from './services/workflow-service';
import { TemplateService } from './services/template-service';
import type { RolePresetSummary } from '@shared/catalog';
import { databasePath } from './profile';
import { resolveEmbedder } from './memory/configure';
import type { Embedder } from './memory/embedder';
import { MemoryService } from './memory/memory-service';
import { DockerSandbox } from './sandbox/docker-sandbox';
import { RunArtifactReader } from './services/run-artifacts/run-artifacts';
import path from 'node:path';
import { RunEngine } from './engine/engine';
import { loadRolePresets, shippedResourcesDir } from './engine/roles';
import { createLlmProvider, defaultModelFor } from './llm/provider-factory';
import { SqliteRunStore } from './store/run-repository';
import { refreshKnownSecretsAfter, SecretRedactor } from './privacy/redactor';
import { credentialEnvironmentSecrets } from './privacy/known-secrets';
import { RunCompareService } from './services/run-compare/run-compare-service';
import { RunExportService } from './services/run-export/run-export-service';
import { McpRegistry } from './mcp/registry';
import { SECRET_NAMES, type SecretName } from '@shared/settings';
import { RunStatsRepository } from './store/run-stats-repository';
import { createSentinel } from './services/health/create-sentinel';
import type { Sentinel } from './services/health/sentinel';
import type { AuditActor } from '@shared/audit';
import { AuditRepository } from './store/audit-repository';
import { AuditService } from './services/audit-service';
import { recordChangesIn } from './services/audit-hooks';

export const APP_NAME = 'War Room';

export interface WarRoomConfig {
  profileDir: string;
  host: AppInfo['host'];
  version: string;
  /** OS-backed encryption for secrets at rest; only the Electron host has one. */
  secretCipher?: SecretCipher | null;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Runtime versions shown in About (Electron adds its own). */
  versions?: Record<string, string>;
  /** The memory embedder; by default resolved from WARROOM_EMBEDDER / the profile (null: full-text only). */
  memoryEmbedder?: Embedder | null;
  /** Run the Sentinel's checks every interval (hosts that show alerts); otherwise they run when asked. */
  monitorHealth?: boolean;
  /** Who people acting through this process are in the audit log; by default `cli` for the CLI, else `user`. */
  auditActor?: AuditActor;
}

/** Everything a host needs, wired once. Every host (Electron, browser server, CLI) calls this. */
export interface WarRoom {
  readonly settings: SettingsService;
  readonly workflows: WorkflowService;
  readonly secrets: SecretStore;
  readonly memory: MemoryService;
  /** Runs agents' code in hardened Docker containers; `close()` stops them, `await sandbox.close()` waits for it. */
  readonly sandbox: DockerSandbox;
  /** The agent engine: starts, resumes, replays, forks and watches workflow runs. */
  readonly runs: RunEngine;
  /** The one redactor: every boundary (model, events, memory, exports, the API, logs) passes it. */
  readonly redactor: SecretRedactor;
  /** Two stored runs side by side, and where they diverge (redacted). */
  readonly runComparison: RunCompareService;
  /** A run as a JSON document or a self-contained HTML report (redacted). */
  readonly runExports: RunExportService;
  /** The files a run's code wrote to /out (and MCP tools' images), read back for the run view (text redacted). */
  readonly runArtifacts: RunArtifactReader;
  readonly templates: TemplateService;
  /** MCP servers of the profile and of projects: their tools for agents, status, trust and calls. */
  readonly mcp: McpRegistry;
  /** The hash-chained audit log of agents' actions on the machine and people's changes. */
  readonly audit: AuditService;
  /** The Dashboard's aggregates over runs, their events and memory. */
  readonly stats: RunStatsRepository;
  /** The health monitor: checks, thresholds, alerts (`warroom doctor` runs the same checks). */
  readonly sentinel: Sentinel;
  roles(): RolePresetSummary[];
  info(): AppInfo;
  health(): Health;
  close(): void;
}

export function createWarRoom(config: WarRoomConfig): WarRoom {
  const now = config.now ?? (() => new Date());
  const startedAt = now().getTime();
  const opened = openDatabase(databasePath(config.profileDir), { now });
  // The one redactor: secretlint's rules plus the values of the secrets this app holds (its own and the
  // MCP servers') and of credential-like environment variables. The stores it reads are created below;
  // it reads them when first used, again when they change (see refreshKnownSecretsAfter) or grow stale.
  const redactor = new SecretRedactor({
    knownSecrets: () => [
      ...SECRET_NAMES.flatMap((name) => {
        const value = secrets.get(name);
        return value ? [{ value, label: `secret:${name}` }] : [];
      }),
      ...mcp.secrets.names().flatMap((name) => {
        const value = mcp.secrets.get(name);
        return value ? [{ value, label: `mcp-secret:${name}` }] : [];
      }),
      ...credentialEnvironmentSecrets(config.env ?? process.env),
    ],
  });
  let memory: MemoryService;
  try {
    const embedder =
      config.memoryEmbedder !== undefined
        ? config.memoryEmbedder
        : resolveEmbedder(config.profileDir, config.env ?? process.env);
    memory = new MemoryService(opened.db, embedder, now, redactor);
  } catch (error) {
    opened.db.close();
    throw error;
  }
  const settings = new SettingsService(new SettingsRepository(opened.db, now), now);
  const workflows = new WorkflowService(
    new WorkflowRepository(opened.db, path.join(config.profileDir, 'workflows')),
    now,
  );
  const secrets = new FileSecretStore(config.profileDir, config.secretCipher ?? null, config.env ?? process.env);
  const sandbox = new DockerSandbox({
    profileDir: config.profileDir,
    env: config.env ?? process.env,
    limits: () => settings.get().sandbox,
    onBackgroundError: (error) => console.error('[warroom] sandbox:', error instanceof Error ? error.message : error),
  });
  // Containers left by a crashed War Room go at start-up; without a Docker engine there is nothing to sweep.
  void sandbox.sweepOrphans().catch(() => {});
  const roles = loadRolePresets(
    [path.join(shippedResourcesDir(), 'roles'), path.join(config.profileDir, 'roles')],
    (warning) => console.error('[warroom]', warning),
  );
  const templates = new TemplateService(path.join(shippedResourcesDir(), 'templates'), now, (warning) =>
    console.error('[warroom]', warning),
  );
  const mcp = new McpRegistry({
    profileDir: config.profileDir,
    // `${secret:NAME}` reads the app's saved secrets; their values stay in this process.
    resolveSecret: (name) => (SECRET_NAMES.includes(name as SecretName) ? secrets.get(name as SecretName) : null),
    secretCipher: config.secretCipher ?? null,
    env: config.env ?? process.env,
    version: config.version,
  });
  const audit = new AuditService(new AuditRepository(opened.db, now), {
    redact: (text) => redactor.redactKnown(text),
    sandboxImage: (language) =>
      language === 'python' || language === 'node' ? sandbox.images.tagFor(language) : language,
    humanActor: config.auditActor ?? (config.host === 'cli' ? 'cli' : 'user'),
  });
  recordChangesIn({ settings, secrets, mcpSecrets: mcp.secrets, memoryStore: memory.store, memory, workflows }, audit);
  refreshKnownSecretsAfter(redactor, secrets, ['set', 'clear']);
  refreshKnownSecretsAfter(redactor, mcp.secrets, ['set', 'clear']);
  const runStore = new SqliteRunStore(opened.db);
  const runComparison = new RunCompareService({ store: runStore, redactor });
  const runExports = new RunExportService({ store: runStore, redactor, version: config.version, now });
  const runArtifacts = new RunArtifactReader(config.profileDir, redactor);
  const runs = new RunEngine({
    store: runStore,
    llm: () => createLlmProvider(settings.get().llm, secrets),
    defaultModel: () => defaultModelFor(settings.get().llm),
    maxConcurrency: () => settings.get().engine.maxConcurrency,
    defaultBudget: () => ({ maxUsd: settings.get().engine.defaultRunBudgetUsd }),
    sandbox,
    memory: memory.store,
    mcp,
    audit,
    redactor,
    redactToModel: () => settings.get().privacy.redactToModel,
    synthesizeAfterRuns: () => settings.get().memory.synthesizeAfterRuns,
    roles,
    loadWorkflow: (id) => workflows.get(id),
    now,
  });
  const stats = new RunStatsRepository(opened.db, () => runStore.settleEvents());
  const sentinel = createSentinel({
    profileDir: config.profileDir,
    databasePath: opened.path,
    db: opened.db,
    settings: () => settings.get(),
    sandboxStatus: () => sandbox.status(),
    secrets,
    stats,
    env: config.env ?? process.env,
    now,
  });
  if (config.monitorHealth) sentinel.start();
  let closed = false;

  return {
    settings,
    workflows,
    secrets,
    memory,
    sandbox,
    runs,
    redactor,
    runComparison,
    runExports,
    runArtifacts,
    templates,
    mcp,
    audit,
    stats,
    sentinel,
    roles: () => [...roles.values()].map(({ name, description, tools }) => ({ name, description, tools })),
    info: () => ({
      name: APP_NAME,
      version: config.version,
      host: config.host,
      profileDir: config.profileDir,
      platform: `${process.platform}-${process.arch}`,
      versions: { node: process.versions.node, ...config.versions },
    }),
    health: () => {
      let databaseOk: boolean;
      try {
        databaseOk = opened.db.prepare('SELECT 1 AS one').get() !== undefined;
      } catch {
        databaseOk = false;
      }
      return {
        ok: databaseOk,
        database: { ok: databaseOk, path: opened.path, schemaVersion: opened.schemaVersion },
        uptimeMs: Math.max(0, now().getTime() - startedAt),
      };
    },
    close: () => {
      if (closed) return;
      closed = true;
      sentinel.close();
      runs.close();
      void sandbox.close();
      void mcp.close();
      runStore.close();
      opened.db.close();
    },
  };
}
