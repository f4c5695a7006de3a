import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Test support: a small tmpfs mounted as a throwaway profile, so a test meets a genuinely full disk
 * (ENOSPC / SQLITE_FULL from the kernel) or a genuinely read-only file system (EROFS, which root cannot
 * write through either, unlike permission bits). Needs root, as the test machines and CI run; elsewhere
 * mount fails and so does the test, loudly.
 */
export interface MountedTmpfs {
  dir: string;
  /** Fills the file system until about `leaveBytes` are free. */
  fillLeaving(leaveBytes: number): void;
  freeBytes(): number;
  /** Every file on it must be closed first: the kernel refuses to remount a file system open for writing. */
  remountReadOnly(): void;
  unmount(): void;
}

export function mountTmpfs(sizeBytes: number): MountedTmpfs {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir]);
  const freeBytes = () => {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize;
  };
  return {
    dir,
    freeBytes,
    fillLeaving: (leaveBytes) => {
      const filler = path.join(dir, `filler-${Date.now()}`);
      fs.writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes() - leaveBytes)));
    },
    remountReadOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
    unmount: () => {
      // Lazy: a connection a failed test left open must not keep the mount (and the next run) stuck.
      execFileSync('umount', ['-l', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
