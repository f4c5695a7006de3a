import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';
import { storageMessage, storageProblemOf, type StorageProblem } from './storage-error';

export type DatabaseProblem = 'corrupt' | 'too-new' | 'unopenable' | StorageProblem;

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
  let db: Database.Database;
  try {
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    db = new Database(filePath, { timeout: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
  } catch (error) {
    throw unopenableError(filePath, error);
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
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
      throw corruptError(filePath, describe(error), now());
    }
    throw unopenableError(filePath, error);
  }
}

/**
 * A full disk, a read-only profile or another process's lock, said as such; anything else as it is.
 * SQLite reports a profile it may not write as "unable to open database file" (SQLITE_CANTOPEN), so that
 * case asks the file system whether the database and its directory are writable.
 */
function unopenableError(filePath: string, error: unknown): DatabaseOpenError {
  const code = (error as { code?: string }).code ?? '';
  const problem = storageProblemOf(error);
  // A file-system error (creating the profile directory) names the path it refers to.
  const ownPath = (error as { path?: unknown }).path;
  const where = typeof ownPath === 'string' ? ownPath : filePath;
  if (problem) return new DatabaseOpenError(problem, storageMessage(problem, where, describe(error)));
  if (code === 'SQLITE_CANTOPEN') {
    const refusal = writeRefusal(filePath);
    if (refusal) {
      return new DatabaseOpenError(
        'read-only',
        storageMessage('read-only', refusal.path, `${describe(error)}; ${describe(refusal.error)}`),
      );
    }
  }
  return new DatabaseOpenError('unopenable', `Cannot open the database at ${filePath}: ${describe(error)}`);
}

/** The first of the database file and its directory that the file system refuses to let us write. */
function writeRefusal(filePath: string): { path: string; error: unknown } | null {
  for (const candidate of [filePath, path.dirname(filePath)]) {
    try {
      fs.accessSync(candidate, fs.constants.W_OK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return { path: candidate, error };
    }
  }
  return null;
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
