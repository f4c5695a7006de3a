import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Test support: a fresh, empty directory to use as a throwaway profile (WARROOM_HOME). */
export function makeTempProfile(prefix = 'warroom-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
