import { z } from 'zod';

/**
 * User settings, stored per profile. Each section has defaults so a new profile works as is,
 * and a stored section that an older build wrote is completed with the current defaults.
 * Secrets (API keys) are deliberately not settings: they live in the SecretStore and never
 * travel to the renderer.
 */
export const LlmSettingsSchema = z.object({
  provider: z.enum(['anthropic', 'openai-compatible']).default('anthropic'),
  model: z.string().trim().min(1, 'model must not be empty').max(200).default('claude-sonnet-4-5'),
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

export const UiSettingsSchema = z.object({
  reduceMotion: z.boolean().default(false),
  confirmBeforeDelete: z.boolean().default(true),
});

export const SettingsSchema = z.object({
  llm: LlmSettingsSchema.prefault({}),
  engine: EngineSettingsSchema.prefault({}),
  ui: UiSettingsSchema.prefault({}),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsSection = keyof Settings;
export const SETTINGS_SECTIONS = ['llm', 'engine', 'ui'] as const satisfies readonly SettingsSection[];

/** A change to some fields of some sections; unknown sections or fields are refused, not ignored. */
export const SettingsPatchSchema = z.strictObject({
  llm: LlmSettingsSchema.partial().strict().optional(),
  engine: EngineSettingsSchema.partial().strict().optional(),
  ui: UiSettingsSchema.partial().strict().optional(),
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
