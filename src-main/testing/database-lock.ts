import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './crash/cli-bundle';

/**
 * Test support: another process holding the database's write lock (`BEGIN EXCLUSIVE`) until it is
 * killed. With `exclusiveMode` it also takes SQLite's exclusive locking mode, which in WAL mode shuts
 * readers out too, as a tool that opened the file exclusively would.
 */
export async function holdDatabaseLock(file: string, exclusiveMode = false): Promise<ChildProcess> {
  const script = [
    "const Database = require('better-sqlite3');",
    'const db = new Database(process.argv[1]);',
    exclusiveMode ? "db.pragma('locking_mode = EXCLUSIVE');" : '',
    "db.exec('BEGIN EXCLUSIVE');",
    "console.log('locked');",
    'setInterval(() => {}, 1000);',
  ].join('\n');
  const holder = spawn(process.execPath, ['-e', script, file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    holder.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return holder;
}
