import { useEffect, useState } from 'react';
import type { NodeRunView } from './run-view';

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s`;
}

/** Elapsed time of a node, ticking while it runs. */
export function Elapsed({ view }: { view: NodeRunView }) {
  const [now, setNow] = useState(() => Date.now());
  const running = view.status === 'running' || view.status === 'waiting';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  if (view.startedAt === null) return null;
  return <>{formatDuration((view.endedAt ?? now) - view.startedAt)}</>;
}
