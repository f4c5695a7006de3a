import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempProfile } from '../testing/temp-profile';
import { DatabaseOpenError, openDatabase } from './database';
import { MIGRATIONS } from './migrations';

const fixedNow = () => new Date('2026-11-21T10:00:00.000Z');

describe('openDatabase', () => {
  it('creates the schema with WAL and foreign keys, and reopens without re-running migrations', () => {
    const file = path.join(makeTempProfile(), 'nested', 'warroom.db');
    const opened = openDatabase(file);
    expect(opened.schemaVersion).toBe(MIGRATIONS.length);
    expect(opened.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(opened.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(opened.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    opened.db.prepare("INSERT INTO settings VALUES ('ui', '{}', 'now')").run();
    opened.db.close();

    const again = openDatabase(file);
    expect(again.db.prepare('SELECT COUNT(*) AS n FROM settings').get()).toEqual({ n: 1 });
    again.db.close();
  });

  it('refuses a damaged file, keeps it untouched, and saves a backup copy it names', () => {
    const file = path.join(makeTempProfile(), 'warroom.db');
    openDatabase(file).db.close();
    // Overwrite the header: SQLite no longer recognises the file.
    const bytes = fs.readFileSync(file);
    bytes.write('this is not sqlite at all', 0);
    fs.writeFileSync(file, bytes);
    const before = fs.readFileSync(file);

    let error: unknown;
    try {
      openDatabase(file, { now: fixedNow });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DatabaseOpenError);
    const openError = error as DatabaseOpenError;
    expect(openError.problem).toBe('corrupt');
    expect(openError.backupPath).toBe(`${file}.backup-2026-11-21T10-00-00-000Z`);
    expect(openError.message).toContain(openError.backupPath);
    expect(fs.readFileSync(file)).toEqual(before);
    expect(fs.readFileSync(openError.backupPath ?? '')).toEqual(before);
  });

  it('reports a database locked by another process clearly', () => {
    const file = path.join(makeTempProfile(), 'warroom.db');
    openDatabase(file).db.close();
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const attempt = () => {
        const opened = new Database(file, { timeout: 50 });
        try {
          opened.prepare('SELECT 1').get();
          opened.exec('BEGIN IMMEDIATE');
        } finally {
          opened.close();
        }
      };
      // Sanity: the lock really is held.
      expect(attempt).toThrow(/locked|busy/i);
      expect(() => openDatabase(file, { busyTimeoutMs: 50 })).toThrow(DatabaseOpenError);
      expect(() => openDatabase(file, { busyTimeoutMs: 50 })).toThrow(/locked by another process/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('refuses a database written by a newer War Room', () => {
    const file = path.join(makeTempProfile(), 'warroom.db');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer than this War Room understands/);
  });
});
