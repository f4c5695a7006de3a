/**
 * Whether another living process executes (or holds paused) a run: its recorded owner is not this process
 * and still exists. A run whose owner died may be taken over.
 */
export function ownedElsewhere(ownerPid: number | null | undefined): ownerPid is number {
  return Boolean(ownerPid) && ownerPid !== process.pid && isAlive(ownerPid as number);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
