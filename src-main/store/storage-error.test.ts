import { describe, expect, it } from 'vitest';
import { StorageError, storageProblemOf, toStorageError } from './storage-error';

const failure = (code: string, message = code, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });

describe('storage errors', () => {
  it.each([
    ['SQLITE_FULL', 'full'],
    ['ENOSPC', 'full'],
    ['EDQUOT', 'full'],
    ['SQLITE_READONLY', 'read-only'],
    ['SQLITE_READONLY_DBMOVED', 'read-only'],
    ['EROFS', 'read-only'],
    ['EACCES', 'read-only'],
    ['SQLITE_BUSY', 'locked'],
    ['SQLITE_BUSY_SNAPSHOT', 'locked'],
    ['SQLITE_LOCKED', 'locked'],
  ])('knows %s as %s', (code, problem) => {
    expect(storageProblemOf(failure(code))).toBe(problem);
  });

  it('leaves other errors alone, including codes that only share a prefix', () => {
    expect(storageProblemOf(failure('SQLITE_CORRUPT'))).toBeNull();
    expect(storageProblemOf(failure('SQLITE_FULLNESS'))).toBeNull();
    expect(storageProblemOf(new Error('plain'))).toBeNull();
    expect(storageProblemOf(null)).toBeNull();
    expect(toStorageError(failure('ENOENT'), '/p/warroom.db')).toBeNull();
  });

  it('names the file a file-system error concerns, else the database, and keeps the cause', () => {
    const fromFs = failure('ENOSPC', 'ENOSPC: no space left on device', { path: '/p/workflows/a.json' });
    const storage = toStorageError(fromFs, '/p/warroom.db');
    expect(storage).toBeInstanceOf(StorageError);
    expect(storage).toMatchObject({ problem: 'full', path: '/p/workflows/a.json', cause: fromFs });
    expect(storage?.message).toMatch(/^The disk holding \/p\/workflows\/a\.json is full \(ENOSPC: no space left/);
    expect(toStorageError(failure('SQLITE_BUSY', 'database is locked'), '/p/warroom.db')?.path).toBe('/p/warroom.db');
  });

  it('treats a refused permission as read-only only when the caller knows it was writing', () => {
    expect(toStorageError(failure('EACCES'), '/p/warroom.db')?.problem).toBe('read-only');
    expect(toStorageError(failure('EACCES'), '/p/warroom.db', { duringWrite: false })).toBeNull();
    expect(toStorageError(failure('EROFS'), '/p/warroom.db', { duringWrite: false })?.problem).toBe('read-only');
  });
});
