import { afterEach, beforeEach } from 'vitest';
import { makeTempDir } from './temp-memory';

/**
 * A fresh throwaway directory for each test of the calling suite, removed after it: the hooks the memory
 * tests each wrote around makeTempDir. Read `dir` inside a test or hook, not while the suite is collected.
 */
export function useTempDir(prefix?: string): { readonly dir: string } {
  let temp: ReturnType<typeof makeTempDir> | undefined;
  beforeEach(() => {
    temp = makeTempDir(prefix);
  });
  afterEach(() => temp?.cleanup());
  return {
    get dir() {
      if (!temp) throw new Error('the temp directory exists only inside a test');
      return temp.dir;
    },
  };
}
