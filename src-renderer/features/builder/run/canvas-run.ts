import { useStore } from 'zustand';
import { TERMINAL_RUN_STATUSES, type Run } from '@shared/runs';
import { api } from '../../../stores/connection';
import { createRunViewStore, type RunViewState } from './run-view';

/** The run shown on the canvas (at most one at a time). */
export const runViewStore = createRunViewStore();

export function useRunView<T>(selector: (state: RunViewState) => T): T {
  return useStore(runViewStore, selector);
}

const RECONNECT_DELAY_MS = 1000;
let following: AbortController | null = null;

/**
 * Shows `run` on the canvas and follows its event stream. If the connection drops, it resubscribes
 * after the last event it applied, so the view neither loses nor repeats an event.
 */
export function followRun(run: Run, nodeIds: readonly string[]): void {
  runViewStore.getState().reset(run, nodeIds);
  keepFollowing(run.id);
}

/** Follows the shown run again after an action (approve, resume) if its stream had ended. */
export function keepFollowing(runId: string): void {
  if (following && !following.signal.aborted && runViewStore.getState().runId === runId) return;
  following?.abort();
  const controller = new AbortController();
  following = controller;
  const run = { id: runId };
  void (async () => {
    while (!controller.signal.aborted) {
      try {
        const stream = await api.runs.events(
          { runId: run.id, afterSeq: runViewStore.getState().lastSeq, follow: true },
          { signal: controller.signal },
        );
        for await (const event of stream) runViewStore.getState().apply([event]);
        // The server ends the stream when the run settles or stops to wait; refresh the run's own record.
        const latest = await api.runs.get({ runId: run.id });
        runViewStore.setState({ status: latest.status, pauseReason: latest.pauseReason, error: latest.error });
        if (following === controller) following = null;
        return;
      } catch {
        if (controller.signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS));
      }
    }
  })();
}

export function stopFollowing(): void {
  following?.abort();
  following = null;
  runViewStore.getState().reset(null, []);
}

export function isRunActive(status: RunViewState['status']): boolean {
  return status !== null && !TERMINAL_RUN_STATUSES.includes(status);
}
