import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../store/database';
import type { Embedder } from '../embedder';
import { MemoryService } from '../memory-service';

/** A throwaway directory per test, removed by the returned cleanup. */
export function makeTempDir(prefix = 'warroom-memory-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Memory on a real SQLite file with the real migrations, as the app opens it. */
export function openTestMemory(
  databaseFile: string,
  embedder: Embedder | null,
  now?: () => Date,
): { memory: MemoryService; close: () => void } {
  const opened = openDatabase(databaseFile);
  const memory = new MemoryService(opened.db, embedder, now);
  return { memory, close: () => opened.db.close() };
}
