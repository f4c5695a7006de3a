import { createHash } from 'node:crypto';
import { SETTINGS_SECTIONS, type Settings, type SettingsPatch } from '@shared/settings';
import type { AuditRecorder } from '../store/audit-port';
import type { SecretStore } from '../store/secret-store';
import type { McpSecretStore } from '../mcp/secret-store';
import type { SqliteMemoryStore } from '../memory/sqlite/sqlite-memory-store';
import type { MemoryService } from '../memory/memory-service';
import type { SettingsService } from './settings-service';
import type { WorkflowService } from './workflow-service';

/** The objects whose changes people make through any host (UI, CLI, MCP clients) the audit log records. */
export interface AuditedServices {
  settings: SettingsService;
  secrets: SecretStore;
  mcpSecrets: McpSecretStore;
  memoryStore: SqliteMemoryStore;
  memory: MemoryService;
  workflows: WorkflowService;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const MAX_LISTED_IDS = 100;

/**
 * Records every settings, secret, memory and workflow-import change as it succeeds, by wrapping the one
 * instance of each that the composition root hands to every host: the API routes, the CLI commands and
 * `warroom mcp serve` all go through these methods, so no call site can forget to record. Secret entries
 * carry the secret's name and never its value; settings entries the fields changed, never their values.
 */
export function recordChangesIn(services: AuditedServices, audit: AuditRecorder): void {
  const record = (entry: Omit<Parameters<AuditRecorder['record']>[0], 'runId' | 'nodeId' | 'actor'>) =>
    audit.record({ ...entry, runId: null, nodeId: null, actor: audit.humanActor } as Parameters<
      AuditRecorder['record']
    >[0]);

  const { settings, secrets, mcpSecrets, memoryStore, memory, workflows } = services;
  // A patch arrives completed with its sections' defaults, so what changed is found by comparing.
  for (const method of ['update', 'reset'] as const) {
    const original = settings[method].bind(settings) as (patch?: SettingsPatch) => Settings;
    settings[method] = (patch?: SettingsPatch) => {
      const before = settings.get();
      const result = original(patch);
      const fields = changedFields(before, result);
      if (fields.length > 0) record({ kind: 'settings.changed', details: { fields } });
      return result;
    };
  }
  after(secrets, 'set', (_result, name: string) =>
    record({ kind: 'secret.changed', details: { name, store: 'app', change: 'set' } }),
  );
  after(secrets, 'clear', (_result, name: string) =>
    record({ kind: 'secret.changed', details: { name, store: 'app', change: 'cleared' } }),
  );
  after(mcpSecrets, 'set', (_result, name: string) =>
    record({ kind: 'secret.changed', details: { name, store: 'mcp', change: 'set' } }),
  );
  after(mcpSecrets, 'clear', (_result, name: string) =>
    record({ kind: 'secret.changed', details: { name, store: 'mcp', change: 'cleared' } }),
  );
  after(memoryStore, 'delete', (count: number, ids: readonly string[]) => {
    if (count > 0) record({ kind: 'memory.deleted', details: { count, ids: ids.slice(0, MAX_LISTED_IDS) } });
  });
  after(memoryStore, 'deleteNamespace', (count: number, namespace: string) => {
    if (count > 0) record({ kind: 'memory.deleted', details: { count, ids: [`namespace:${namespace}`] } });
  });
  afterAsync(memory, 'importJsonLines', (result, jsonLines: string) =>
    record({
      kind: 'memory.imported',
      details: { imported: result.imported, replaced: result.replaced, sha256: sha256(jsonLines) },
    }),
  );
  after(workflows, 'import', (result, json: string) =>
    record({
      kind: 'workflow.imported',
      details: {
        workflowId: result.workflow.id,
        name: result.workflow.name,
        bytes: Buffer.byteLength(json),
        sha256: sha256(json),
        fileName: null,
      },
    }),
  );
}

/** The settings fields whose values differ, as `section.field`. */
function changedFields(before: Settings, after: Settings): string[] {
  return SETTINGS_SECTIONS.flatMap((section) => {
    const old = before[section] as Record<string, unknown>;
    const next = after[section] as Record<string, unknown>;
    return [...new Set([...Object.keys(old), ...Object.keys(next)])]
      .filter((field) => JSON.stringify(old[field]) !== JSON.stringify(next[field]))
      .map((field) => `${section}.${field}`);
  });
}

type Method<T, K extends keyof T> = T[K] extends (...args: infer A) => infer R ? (...args: A) => R : never;

/** Replaces the instance's method with one that calls `then` with its result and arguments once it returned. */
function after<T, K extends keyof T>(
  target: T,
  name: K,
  then: (result: ReturnType<Method<T, K>>, ...args: Parameters<Method<T, K>>) => void,
): void {
  const original = (target[name] as Method<T, K>).bind(target) as (
    ...args: Parameters<Method<T, K>>
  ) => ReturnType<Method<T, K>>;
  target[name] = ((...args: Parameters<Method<T, K>>) => {
    const result = original(...args);
    then(result, ...args);
    return result;
  }) as T[K];
}

/** `after` for a method returning a promise: `then` runs when it resolves. */
function afterAsync<T, K extends keyof T>(
  target: T,
  name: K,
  then: (result: Awaited<ReturnType<Method<T, K>>>, ...args: Parameters<Method<T, K>>) => void,
): void {
  const original = (target[name] as Method<T, K>).bind(target) as (
    ...args: Parameters<Method<T, K>>
  ) => ReturnType<Method<T, K>>;
  target[name] = (async (...args: Parameters<Method<T, K>>) => {
    const result = await original(...args);
    then(result as Awaited<ReturnType<Method<T, K>>>, ...args);
    return result;
  }) as T[K];
}
