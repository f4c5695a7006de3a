import { hash } from 'node:crypto';
import type { RunMode } from '@shared/runs';
import type { JournalEntry, RunStore } from '../store/port';
import { ReplayDivergedError } from './errors';

export type JournalKind = 'llm' | 'tool' | 'memory';

export interface JournalSources {
  store: RunStore;
  runId: string;
  /** The run this one replays or forks: its journal answers requests this run has not made yet. */
  sourceRunId: string | null;
  mode: RunMode;
  /** False on the first pass of a new run: nothing can be journaled yet, so look-ups are skipped. */
  mayHaveOwnEntries: boolean;
  /** Persists an entry (with the pass's events, in one transaction). */
  write(entry: JournalEntry): void;
}

/** The key of a request in the journal: a hash of who asked (the execution scope), what kind, and what. */
export function journalKey(scope: string, kind: JournalKind, request: unknown): string {
  // One-shot hashing: requests are hashed on every step, and a Hash object costs more than the hashing.
  return hash('sha256', JSON.stringify([scope, kind, request]), 'hex');
}

const WHAT: Record<JournalKind, string> = { llm: 'model call', tool: 'tool call', memory: 'memory step' };

/**
 * Record and look-up of every model call and tool result by request hash. A request already answered
 * in this run (or in the run it replays or forks) returns the recorded answer instead of running again:
 * that is what makes resume repeat nothing, replay make zero calls and fork re-use what is upstream.
 */
export class RunJournal {
  private readonly answeredThisPass = new Map<string, { value: unknown }>();

  constructor(private readonly sources: JournalSources) {}

  /**
   * `absentFromSource` answers a replay whose source run never took this step (memory injection or
   * synthesis: recorded before they existed, or with synthesis off), so the replay skips it too.
   */
  async answer<T>(
    scope: string,
    kind: JournalKind,
    request: unknown,
    perform: () => Promise<T>,
    absentFromSource?: () => T,
  ): Promise<T> {
    const key = journalKey(scope, kind, request);
    const recorded = this.answeredThisPass.get(key);
    if (recorded) return recorded.value as T;
    const { store, runId, sourceRunId } = this.sources;
    const own = this.sources.mayHaveOwnEntries ? store.readJournal(runId, key) : null;
    const hit = own ?? (sourceRunId ? store.readJournal(sourceRunId, key) : null);
    if (hit) {
      if (!own) this.record(key, scope, kind, request, hit.value);
      return hit.value as T;
    }
    if (this.sources.mode === 'replay') {
      if (!absentFromSource) throw new ReplayDivergedError(`a ${WHAT[kind]} of ${scope || 'the run'}`);
      const value = absentFromSource();
      this.record(key, scope, kind, request, value);
      return value;
    }
    const value = await perform();
    this.record(key, scope, kind, request, value);
    return value;
  }

  private record(key: string, scope: string, kind: JournalKind, request: unknown, value: unknown): void {
    this.answeredThisPass.set(key, { value });
    this.sources.write({ key, kind, scope, request, value });
  }
}
