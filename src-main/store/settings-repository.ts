import type Database from 'better-sqlite3';
import { SETTINGS_SECTIONS, SettingsSchema, type Settings, type SettingsPatch } from '@shared/settings';
import { reportingStorageErrors } from './storage-error';

/** Settings stored one row per section, each a JSON object completed with defaults when read. */
export class SettingsRepository {
  private readonly selectAll: Database.Statement<[], { section: string; value: string }>;
  private readonly upsert: Database.Statement<[string, string, string]>;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.selectAll = db.prepare('SELECT section, value FROM settings');
    this.upsert = db.prepare(
      'INSERT INTO settings (section, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(section) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  get(): Settings {
    const stored: Record<string, unknown> = {};
    for (const row of this.selectAll.all()) {
      if ((SETTINGS_SECTIONS as readonly string[]).includes(row.section)) stored[row.section] = safeJson(row.value);
    }
    // A section that no longer parses (hand-edited, or from a much older build) falls back to its
    // defaults field by field rather than making the whole app unusable.
    const result = SettingsSchema.safeParse(stored);
    if (result.success) return result.data;
    const settings = SettingsSchema.parse({});
    for (const section of SETTINGS_SECTIONS) {
      const one = SettingsSchema.shape[section].safeParse(stored[section]);
      if (one.success) Object.assign(settings, { [section]: one.data });
    }
    return settings;
  }

  /** Applies a validated patch and returns the whole new settings object. */
  update(patch: SettingsPatch): Settings {
    const current = this.get();
    // Every section merges the same way, so a section added to the schema needs no change here.
    const next = SettingsSchema.parse(
      Object.fromEntries(SETTINGS_SECTIONS.map((section) => [section, { ...current[section], ...patch[section] }])),
    );
    const stamp = this.now().toISOString();
    reportingStorageErrors(this.db.name, () =>
      this.db.transaction(() => {
        for (const section of SETTINGS_SECTIONS) {
          if (patch[section] !== undefined) this.upsert.run(section, JSON.stringify(next[section]), stamp);
        }
      })(),
    );
    return next;
  }

  reset(): Settings {
    reportingStorageErrors(this.db.name, () => this.db.prepare('DELETE FROM settings').run());
    return this.get();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
