import type { RunEvent } from '@shared/run-events';
import { TERMINAL_RUN_STATUSES, type RunStatus } from '@shared/runs';
import type { RunStore } from '../store/port';
import type { RunEventTail } from './event-tail';

const EVENT_PAGE = 500;

export interface RunEventStreamDeps {
  store: RunStore;
  /** The in-memory tail of a run this process is executing now, if it is. */
  liveTail(runId: string): RunEventTail | undefined;
  status(runId: string): RunStatus;
}

/**
 * Followers of runs' event streams: what is stored, then new events as they come — from the in-memory
 * tail while this process executes the run, else from the database, polled and woken by `notify`.
 */
export class RunEventStream {
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(private readonly deps: RunEventStreamDeps) {}

  /** Wakes the followers of a run: something about it changed (events, status, a pass ending). */
  notify(runId: string): void {
    for (const listener of [...(this.listeners.get(runId) ?? [])]) listener();
  }

  /** The run's events after `afterSeq`; with `follow`, keeps waiting for new ones until it reaches a final state. */
  async *events(
    runId: string,
    afterSeq: number,
    options: { follow?: boolean; signal?: AbortSignal },
  ): AsyncGenerator<RunEvent> {
    const { store } = this.deps;
    let seq = afterSeq;
    for (;;) {
      const tail = this.deps.liveTail(runId);
      const fromTail = tail?.after(seq) ?? null;
      const batch = fromTail ?? store.readEvents(runId, seq, EVENT_PAGE);
      for (const event of batch) {
        seq = event.seq;
        yield event;
      }
      if (fromTail ? batch.length > 0 : batch.length === EVENT_PAGE) continue;
      if (!options.follow || options.signal?.aborted) return;
      if (!tail && !this.deps.liveTail(runId) && TERMINAL_RUN_STATUSES.includes(this.deps.status(runId))) {
        // Settled: whatever the last pass wrote after our last read is in the database.
        for (const event of store.readEvents(runId, seq, Number.MAX_SAFE_INTEGER)) yield event;
        return;
      }
      await this.nextChange(runId, 250, options.signal);
    }
  }

  private nextChange(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const listeners = this.listeners.get(runId) ?? new Set();
      this.listeners.set(runId, listeners);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      listeners.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
