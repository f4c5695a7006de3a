import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';

export type DatabaseProblem = 'corrupt' | 'locked' | 'too-new' | 'unopenable';

/**
 * Raised when the profile database cannot be used. The message is written for the user: it says what
 * happened, and for a corrupt file where the untouched backup copy was put. The original file is never
 * deleted or overwritten by War Room.
 */
export class DatabaseOpenError extends Error {
  constructor(
    readonly problem: DatabaseProblem,
    message: string,
    readonly backupPath: string | null = null,
  ) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

export interface OpenedDatabase {
  db: Database.Database;
  path: string;
  schemaVersion: number;
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the profile database: WAL journal, foreign keys on, a quick integrity
 * check, then the schema migrations in one transaction each.
 */
export interface OpenDatabaseOptions {
  now?: () => Date;
  /** How long to wait for another connection's lock before reporting the database as locked. */
  busyTimeoutMs?: number;
}

export function openDatabase(filePath: string, options: OpenDatabaseOptions = {}): OpenedDatabase {
  const now = options.now ?? (() => new Date());
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(filePath, { timeout: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new DatabaseOpenError('unopenable', `Cannot open the database at ${filePath}: ${describe(error)}`);
  }
  try {
    checkIntegrity(db, filePath, now);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    const schemaVersion = migrate(db, filePath);
    return { db, path: filePath, schemaVersion };
  } catch (error) {
    db.close();
    if (error instanceof DatabaseOpenError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new DatabaseOpenError(
        'locked',
        `The database at ${filePath} is locked by another process (is another War Room running with this profile?). ` +
          'Close it, or use another profile with WARROOM_HOME.',
      );
    }
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
      throw corruptError(filePath, describe(error), now());
    }
    throw new DatabaseOpenError('unopenable', `Cannot open the database at ${filePath}: ${describe(error)}`);
  }
}

function checkIntegrity(db: Database.Database, filePath: string, now: () => Date): void {
  // quick_check finds the corruption that matters (broken pages, bad records) in time linear in the
  // file size, without the full index cross-check integrity_check does.
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const findings = rows.map((row) => row.quick_check).filter((finding) => finding !== 'ok');
  if (findings.length > 0) {
    db.close();
    throw corruptError(filePath, findings.slice(0, 3).join('; '), now());
  }
}

function corruptError(filePath: string, detail: string, now: Date): DatabaseOpenError {
  const backupPath = backUpDatabaseFiles(filePath, now);
  return new DatabaseOpenError(
    'corrupt',
    `The database at ${filePath} is damaged (${detail}). It was left as it is, and a copy was saved to ${backupPath}. ` +
      'Move the damaged file away to start a fresh profile, or point WARROOM_HOME at another directory.',
    backupPath,
  );
}

/** Copies the database and its WAL/SHM side files next to it; returns the main copy's path. */
export function backUpDatabaseFiles(filePath: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const backupPath = `${filePath}.backup-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(filePath + suffix))
      fs.copyFileSync(filePath + suffix, backupPath + suffix, fs.constants.COPYFILE_EXCL);
  }
  return backupPath;
}

function migrate(db: Database.Database, filePath: string): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new DatabaseOpenError(
      'too-new',
      `The database at ${filePath} has schema version ${current}, newer than this War Room understands (${MIGRATIONS.length}). Update War Room.`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    const step = MIGRATIONS[version];
    if (step === undefined) break;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return MIGRATIONS.length;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
