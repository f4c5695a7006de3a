import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, SETTINGS_SECTIONS, SettingsPatchSchema, SettingsSchema } from '@shared/settings';
import { makeTempProfile } from '../testing/temp-profile';
import { openDatabase } from './database';
import { SettingsRepository } from './settings-repository';

function setUp() {
  const opened = openDatabase(path.join(makeTempProfile(), 'warroom.db'));
  return { db: opened.db, repository: new SettingsRepository(opened.db, () => new Date('2026-11-21T00:00:00Z')) };
}

describe('SettingsRepository', () => {
  it('starts from defaults and changes only the patched fields', () => {
    const { repository } = setUp();
    expect(repository.get()).toEqual(defaultSettings());
    const next = repository.update({ llm: { model: 'claude-haiku-4-5' } });
    expect(next.llm.model).toBe('claude-haiku-4-5');
    expect(next.llm.provider).toBe('anthropic');
    expect(repository.get()).toEqual(next);
    expect(repository.reset()).toEqual(defaultSettings());
  });

  it('falls back to defaults for a section that no longer parses, keeping the others', () => {
    const { db, repository } = setUp();
    repository.update({ ui: { reduceMotion: true } });
    db.prepare("INSERT INTO settings VALUES ('engine', '{\"maxConcurrency\": \"lots\"}', 'x')").run();
    db.prepare("INSERT INTO settings VALUES ('obsolete', '{}', 'x')").run();
    const settings = repository.get();
    expect(settings.engine).toEqual(defaultSettings().engine);
    expect(settings.ui.reduceMotion).toBe(true);
  });

  it('completes a section stored by an older build with the new defaults', () => {
    const { db, repository } = setUp();
    db.prepare("INSERT INTO settings VALUES ('llm', '{\"model\": \"claude-x\"}', 'x')").run();
    expect(repository.get().llm).toEqual({ ...defaultSettings().llm, model: 'claude-x' });
  });

  it('stores a change to every section, and keeps it across a reopen', () => {
    const { db, repository } = setUp();
    const changedValue = (value: unknown) =>
      typeof value === 'number' ? value + 1 : typeof value === 'boolean' ? !value : `${String(value)}x`;
    for (const section of SETTINGS_SECTIONS) {
      // The first field of the section that accepts a changed value: each section must have one.
      const change = Object.entries(defaultSettings()[section])
        .map(([field, value]) => ({ [section]: { [field]: changedValue(value) } }))
        .find((patch) => SettingsPatchSchema.safeParse(patch).success && SettingsSchema.safeParse(patch).success);
      expect(change, `section ${section} has a field to change`).toBeDefined();
      const next = repository.update(SettingsPatchSchema.parse(change));
      const [[field, value]] = Object.entries((change as Record<string, Record<string, unknown>>)[section] ?? {}) as [
        [string, unknown],
      ];
      expect((next[section] as Record<string, unknown>)[field]).toEqual(value);
      const reopened = new SettingsRepository(db, () => new Date());
      expect((reopened.get()[section] as Record<string, unknown>)[field]).toEqual(value);
    }
  });
});
