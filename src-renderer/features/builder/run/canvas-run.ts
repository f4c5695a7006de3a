import { useStore } from 'zustand';
import { TERMINAL_RUN_STATUSES, type Run } from '@shared/runs';
import { api } from '../../../stores/connection';
import { followRunEvents, type RunFollowing } from './run-follower';
import { createRunViewStore, type RunViewState } from './run-view';

/** The run shown on the canvas (at most one at a time). */
export const runViewStore = createRunViewStore();

export function useRunView<T>(selector: (state: RunViewState) => T): T {
  return useStore(runViewStore, selector);
}

let following: RunFollowing | null = null;

/** Shows `run` on the canvas and follows its event stream. */
export function followRun(run: Run, nodeIds: readonly string[]): void {
  runViewStore.getState().reset(run, nodeIds);
  keepFollowing(run.id);
}

/** Follows the shown run again after an action (approve, resume) if its stream had ended. */
export function keepFollowing(runId: string): void {
  if (following && runViewStore.getState().runId === runId) return;
  following?.stop();
  const current = followRunEvents(api.runs.events, {
    runId,
    afterSeq: runViewStore.getState().lastSeq,
    follow: true,
    onEvent: (event) => runViewStore.getState().apply([event]),
  });
  following = current;
  void current.ended.then(async (settled) => {
    if (following === current) following = null;
    if (!settled) return;
    // The server ends the stream when the run settles or stops to wait; refresh the run's own record.
    const latest = await api.runs.get({ runId }).catch(() => null);
    if (latest && runViewStore.getState().runId === runId) {
      runViewStore.setState({ status: latest.status, pauseReason: latest.pauseReason, error: latest.error });
    }
  });
}

export function stopFollowing(): void {
  following?.stop();
  following = null;
  runViewStore.getState().reset(null, []);
}

export function isRunActive(status: RunViewState['status']): boolean {
  return status !== null && !TERMINAL_RUN_STATUSES.includes(status);
}
