import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';
import { SecretNameSchema, SecretStatusSchema, SettingsPatchSchema, SettingsSchema } from './settings';
import { WorkflowSchema, WorkflowSummarySchema } from './workflow';
import { memoryContract } from './memory';
import { sandboxContract } from './sandbox';
import { mcpContract } from './mcp';
import { auditContract } from './audit';
import { runsContract, validateWorkflowContract } from './runs-contract';
import { RolePresetSummarySchema, TemplateSummarySchema } from './catalog';
import { statsContract } from './stats';
import { healthContract } from './health';

/**
 * The one API contract between the UI (renderer, CLI) and the main process. Both transports
 * (Electron MessagePort and WebSocket) carry exactly these procedures; every payload is checked
 * against these schemas on the server side, and outputs are checked before they leave.
 *
 * Later features add entries here; nothing else has to change for them to reach both transports.
 */

const WorkflowId = z.object({ id: z.string().min(1).max(128) });

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser', 'cli']),
  profileDir: z.string(),
  platform: z.string(),
  versions: z.record(z.string(), z.string()),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const HealthSchema = z.object({
  ok: z.boolean(),
  database: z.object({ ok: z.boolean(), path: z.string(), schemaVersion: z.int() }),
  uptimeMs: z.number().nonnegative(),
});
export type Health = z.infer<typeof HealthSchema>;

export const SettingsChangeSchema = z.object({ settings: SettingsSchema, changedAt: z.iso.datetime() });

export const contract = {
  app: {
    info: oc.output(AppInfoSchema),
    health: oc.output(HealthSchema),
  },
  settings: {
    get: oc.output(SettingsSchema),
    update: oc.input(SettingsPatchSchema).output(SettingsSchema),
    reset: oc.output(SettingsSchema),
    /** Pushes the whole settings object each time any client changes it. */
    changes: oc.output(eventIterator(SettingsChangeSchema)),
  },
  secrets: {
    status: oc.output(z.array(SecretStatusSchema)),
    set: oc
      .input(z.object({ name: SecretNameSchema, value: z.string().trim().min(1, 'the value is empty').max(4096) }))
      .output(SecretStatusSchema),
    clear: oc.input(z.object({ name: SecretNameSchema })).output(SecretStatusSchema),
  },
  workflows: {
    list: oc.output(z.array(WorkflowSummarySchema)),
    get: oc.input(WorkflowId).output(WorkflowSchema),
    create: oc.input(z.object({ name: z.string().trim().min(1).max(200) })).output(WorkflowSchema),
    /** Saves a whole document; the server stamps `updatedAt`. Unknown ids are created. */
    save: oc.input(z.object({ workflow: z.unknown() })).output(WorkflowSchema),
    delete: oc.input(WorkflowId).output(z.object({ id: z.string() })),
    /** Imports a document from its JSON text; a clash with an existing id gets a new id. */
    import: oc
      .input(z.object({ json: z.string().max(50_000_000), fileName: z.string().max(500).optional() }))
      .output(
        z.object({ workflow: WorkflowSchema, renamedFrom: z.string().nullable(), migratedFrom: z.int().nullable() }),
      ),
    export: oc.input(WorkflowId).output(z.object({ fileName: z.string(), json: z.string() })),
    validate: validateWorkflowContract,
    /** The shipped templates, and a new saved workflow made from one. */
    templates: oc.output(z.array(TemplateSummarySchema)),
    createFromTemplate: oc
      .input(z.object({ templateId: z.string().min(1).max(200), name: z.string().trim().max(200).optional() }))
      .output(WorkflowSchema),
  },
  roles: {
    /** Agent role presets: the shipped ones and the user's own from `<profile>/roles`. */
    list: oc.output(z.array(RolePresetSummarySchema)),
  },
  memory: memoryContract,
  sandbox: sandboxContract,
  mcp: mcpContract,
  audit: auditContract,
  runs: runsContract,
  stats: statsContract,
  health: healthContract,
};

export type Contract = typeof contract;
