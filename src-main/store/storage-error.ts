/**
 * The ways saving to the profile can fail that are not War Room's fault and that the user can fix: the
 * disk is full, the profile is read-only (or not ours to write), another process holds the database.
 * SQLite and Node report them with their own codes; War Room reports them with one message each that
 * says what happened, which file, and what to do.
 */
export type StorageProblem = 'full' | 'read-only' | 'locked';

export class StorageError extends Error {
  constructor(
    readonly problem: StorageProblem,
    /** The file or directory that could not be written. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

// SQLite's extended codes (SQLITE_READONLY_DBMOVED, SQLITE_BUSY_SNAPSHOT…) start with their primary code.
const PROBLEM_BY_CODE: ReadonlyArray<[prefix: string, problem: StorageProblem]> = [
  ['SQLITE_FULL', 'full'],
  ['ENOSPC', 'full'],
  ['EDQUOT', 'full'],
  ['SQLITE_READONLY', 'read-only'],
  ['EROFS', 'read-only'],
  ['EACCES', 'read-only'],
  ['EPERM', 'read-only'],
  ['SQLITE_BUSY', 'locked'],
  ['SQLITE_LOCKED', 'locked'],
];

/** Which storage problem an error from SQLite or the file system is, if it is one. */
export function storageProblemOf(error: unknown): StorageProblem | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  return PROBLEM_BY_CODE.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))?.[1] ?? null;
}

/** The user-facing message for a storage problem at `path`; `detail` is what SQLite or the OS said. */
export function storageMessage(problem: StorageProblem, path: string, detail: string): string {
  switch (problem) {
    case 'full':
      return (
        `The disk holding ${path} is full (${detail}). What War Room was saving was not written, and nothing ` +
        'was left half-written. Free some space and try again; an interrupted run continues with `warroom runs resume <run id>`.'
      );
    case 'read-only':
      return (
        `War Room cannot write to ${path}: it is read-only (${detail}). Make the profile writable, ` +
        'or point WARROOM_HOME at a writable directory.'
      );
    case 'locked':
      return (
        `The database at ${path} is locked by another process (${detail}): another War Room, or a tool such as ` +
        'sqlite3, is using this profile. Close it and try again, or use another profile with WARROOM_HOME.'
      );
  }
}

/** Codes that mean "not allowed" for any file operation, a read too: only a write makes them "read-only". */
const PERMISSION_CODES = new Set(['EACCES', 'EPERM']);

/**
 * The StorageError an error stands for, or null when it is something else. A file-system error names its
 * own path; a SQLite error does not, so the caller says which database it was writing. Unless the caller
 * knows the error came from a write (`duringWrite: false`), a refused permission is left as it is.
 */
export function toStorageError(
  error: unknown,
  databasePath: string,
  { duringWrite = true }: { duringWrite?: boolean } = {},
): StorageError | null {
  if (error instanceof StorageError) return error;
  const problem = storageProblemOf(error);
  if (!problem) return null;
  if (!duringWrite && PERMISSION_CODES.has(String((error as { code?: unknown }).code))) return null;
  const ownPath = (error as { path?: unknown }).path;
  const path = typeof ownPath === 'string' ? ownPath : databasePath;
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError(problem, path, storageMessage(problem, path, detail), { cause: error });
}

/** Runs a write against the database at `databasePath`, reporting a storage problem as a StorageError. */
export function reportingStorageErrors<T>(databasePath: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw toStorageError(error, databasePath) ?? error;
  }
}
