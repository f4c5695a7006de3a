import { z } from 'zod';

/**
 * User settings, stored per profile. Each section has defaults so a new profile works as is,
 * and a stored section that an older build wrote is completed with the current defaults.
 * Secrets (API keys) are deliberately not settings: they live in the SecretStore and never
 * travel to the renderer.
 */
export const LlmSettingsSchema = z.object({
  provider: z.enum(['anthropic', 'openai-compatible']).default('anthropic'),
  model: z.string().trim().min(1, 'model must not be empty').max(200).default('claude-sonnet-4-6'),
  anthropicBaseUrl: z
    .union([z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }), z.literal('')])
    .default(''),
  localEndpointUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('http://127.0.0.1:11434/v1'),
  localModel: z.string().trim().max(200).default('llama3.1'),
});

export const EngineSettingsSchema = z.object({
  maxConcurrency: z.int().min(1, 'at least 1').max(32, 'at most 32').default(4),
  defaultRunBudgetUsd: z.number().min(0).max(10_000).default(5),
});

export const MemorySettingsSchema = z.object({
  /** After a run completes, ask the model for a task summary, error resolutions and decisions to remember. */
  synthesizeAfterRuns: z.boolean().default(true),
});

export const UiSettingsSchema = z.object({
  reduceMotion: z.boolean().default(false),
  confirmBeforeDelete: z.boolean().default(true),
});

/** Limits for sandboxed code; the bounds keep a typo from disabling a protection or starving the host. */
export const SandboxSettingsSchema = z.object({
  timeoutSeconds: z.int().min(1).max(3600).default(60),
  memoryMb: z.int().min(64).max(16_384).default(512),
  cpus: z.number().min(0.1).max(16).default(1),
  pidsLimit: z.int().min(16).max(4096).default(128),
  tmpfsMb: z.int().min(8).max(4096).default(256),
  outputCapKb: z.int().min(16).max(65_536).default(1024),
  warmPoolSize: z.int().min(0).max(8).default(1),
  idleTimeoutSeconds: z.int().min(10).max(86_400).default(300),
  /** Where image bases come from: public registry images, the offline Debian base, or whichever works. */
  imageSource: z.enum(['auto', 'public', 'offline']).default('auto'),
});

/** The Sentinel's thresholds: crossing one raises an alert (a banner, and a desktop notification). */
export const HealthSettingsSchema = z.object({
  /** Spend of the last 24 hours, in USD, above which an alert is raised. */
  dailySpendUsd: z.number().min(0).max(100_000).default(20),
  /** Share of model requests of the last hour that got an error response (0.25 = one in four). */
  errorRate: z.number().min(0.01).max(1).default(0.25),
  /** Free space on the profile's disk below which an alert is raised. */
  minFreeDiskMb: z.int().min(0).max(10_000_000).default(1024),
  /** How often the checks run. */
  checkIntervalSeconds: z.int().min(10).max(3600).default(60),
});

/** What leaves War Room: secrets are always redacted in events, memory, exports and the UI. */
export const PrivacySettingsSchema = z.object({
  /**
   * Redact file contents and tool results before they go to a model. Off: the model sees them as they
   * are (the run's events, memory and exports are still redacted).
   */
  redactToModel: z.boolean().default(true),
});

export const SettingsSchema = z.object({
  llm: LlmSettingsSchema.prefault({}),
  engine: EngineSettingsSchema.prefault({}),
  memory: MemorySettingsSchema.prefault({}),
  ui: UiSettingsSchema.prefault({}),
  sandbox: SandboxSettingsSchema.prefault({}),
  privacy: PrivacySettingsSchema.prefault({}),
  health: HealthSettingsSchema.prefault({}),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsSection = keyof Settings;
export const SETTINGS_SECTIONS = [
  'llm',
  'engine',
  'memory',
  'ui',
  'sandbox',
  'privacy',
  'health',
] as const satisfies readonly SettingsSection[];

type PatchShape<Shape extends Record<string, z.ZodType>> = {
  [Field in keyof Shape]: z.ZodOptional<Shape[Field] extends z.ZodDefault<infer Inner> ? Inner : Shape[Field]>;
};

/**
 * The fields of a section a patch may change, each optional and without its default: zod fills defaults
 * inside `.partial()`, so a patch of one field would reset every other field of its section.
 */
function sectionPatch<Shape extends Record<string, z.ZodType>>(section: z.ZodObject<Shape>) {
  const fields = Object.fromEntries(
    Object.entries(section.shape).map(([name, field]) => [
      name,
      (field instanceof z.ZodDefault ? (field.removeDefault() as z.ZodType) : field).optional(),
    ]),
  );
  // Object.fromEntries loses the field names; the mapped type restores what the loop built.
  return z.strictObject(fields as unknown as PatchShape<Shape>).optional();
}

/** A change to some fields of some sections; unknown sections or fields are refused, not ignored. */
export const SettingsPatchSchema = z.strictObject({
  llm: sectionPatch(LlmSettingsSchema),
  engine: sectionPatch(EngineSettingsSchema),
  memory: sectionPatch(MemorySettingsSchema),
  ui: sectionPatch(UiSettingsSchema),
  sandbox: sectionPatch(SandboxSettingsSchema),
  privacy: sectionPatch(PrivacySettingsSchema),
  health: sectionPatch(HealthSettingsSchema),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

export const SecretNameSchema = z.enum(['anthropicApiKey', 'localEndpointApiKey']);
export type SecretName = z.infer<typeof SecretNameSchema>;
export const SECRET_NAMES: readonly SecretName[] = SecretNameSchema.options;

export const SecretStatusSchema = z.object({
  name: SecretNameSchema,
  /** Where the value comes from; the value itself never leaves the main process. */
  source: z.enum(['environment', 'store', 'none']),
});
export type SecretStatus = z.infer<typeof SecretStatusSchema>;
