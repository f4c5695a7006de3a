import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../store/database';
import { SqliteRunStore } from '../../store/run-repository';
import { MemoryService } from '../memory-service';
import { makeTempDir } from './temp-memory';

/** A throwaway profile for engine + memory tests: one SQLite file holds the runs and the memory. */
export interface MemoryProfile {
  /** The throwaway folder; the database and the project live in it. */
  dir: string;
  /** A project folder named "shop", so its memory namespace is "shop". */
  projectDir: string;
  memory: MemoryService;
  runStore: SqliteRunStore;
  /** Closes the database and removes the folder. */
  close: () => void;
}

/** Opens a fresh profile on real SQLite with the real migrations, no embedder (keyword search only). */
export function openMemoryProfile(prefix: string): MemoryProfile {
  const temp = makeTempDir(prefix);
  const projectDir = path.join(temp.dir, 'shop');
  fs.mkdirSync(projectDir);
  const { db } = openDatabase(path.join(temp.dir, 'warroom.db'));
  const runStore = new SqliteRunStore(db);
  return {
    dir: temp.dir,
    projectDir,
    memory: new MemoryService(db, null),
    runStore,
    close: () => {
      runStore.close();
      db.close();
      temp.cleanup();
    },
  };
}
