import { RunStatusSchema, type RunStatus } from '@shared/runs';

/** Status colours match the theme's run-status badges. */
export const STATUS_COLORS: Record<RunStatus, string> = {
  completed: '#3fb950',
  failed: '#f85149',
  cancelled: '#8b98a8',
  running: '#58a6ff',
  waiting: '#d29922',
  paused: '#a371f7',
};

export const RUN_STATUSES_SHOWN: readonly RunStatus[] = RunStatusSchema.options;
