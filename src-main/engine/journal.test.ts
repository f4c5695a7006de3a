import { describe, expect, it } from 'vitest';
import type { RunMode } from '@shared/runs';
import type { JournalEntry } from '../store/port';
import { ReplayDivergedError } from './errors';
import { journalKey, RunJournal } from './journal';
import { MemoryRunStore } from './testing/memory-run-store';

function journalFor(store: MemoryRunStore, runId: string, mode: RunMode, sourceRunId: string | null = null) {
  const written: JournalEntry[] = [];
  const journal = new RunJournal({
    store,
    runId,
    sourceRunId,
    mode,
    mayHaveOwnEntries: true,
    write: (entry) => {
      written.push(entry);
      store.appendEvents(runId, [], '2026-12-01T00:00:00.000Z', [entry]);
    },
  });
  return { journal, written };
}

describe('RunJournal', () => {
  it('performs a request once and answers repeats from the record, in this pass and the next', async () => {
    const store = new MemoryRunStore();
    let performed = 0;
    const perform = () => Promise.resolve(`answer ${++performed}`);
    const first = journalFor(store, 'r1', 'normal');
    expect(await first.journal.answer('a#1', 'llm', { prompt: 'hi' }, perform)).toBe('answer 1');
    expect(await first.journal.answer('a#1', 'llm', { prompt: 'hi' }, perform)).toBe('answer 1');
    expect(first.written).toEqual([
      {
        key: journalKey('a#1', 'llm', { prompt: 'hi' }),
        kind: 'llm',
        scope: 'a#1',
        request: { prompt: 'hi' },
        value: 'answer 1',
      },
    ]);
    const resumed = journalFor(store, 'r1', 'normal');
    expect(await resumed.journal.answer('a#1', 'llm', { prompt: 'hi' }, perform)).toBe('answer 1');
    expect(performed).toBe(1);
  });

  it('keys requests by scope, kind and content', async () => {
    expect(journalKey('a#1', 'llm', { x: 1 })).not.toBe(journalKey('a#2', 'llm', { x: 1 }));
    expect(journalKey('a#1', 'llm', { x: 1 })).not.toBe(journalKey('a#1', 'tool', { x: 1 }));
    expect(journalKey('a#1', 'llm', { x: 1 })).not.toBe(journalKey('a#1', 'llm', { x: 2 }));
  });

  it('answers a replay from its source run and refuses what the source never did', async () => {
    const store = new MemoryRunStore();
    await journalFor(store, 'source', 'normal').journal.answer('a#1', 'tool', 'ls', () => Promise.resolve('a.txt'));
    const replay = journalFor(store, 'replay', 'replay', 'source');
    const never = () => Promise.reject(new Error('performed during a replay'));
    expect(await replay.journal.answer('a#1', 'tool', 'ls', never)).toBe('a.txt');
    expect(replay.written).toHaveLength(1);
    await expect(replay.journal.answer('a#1', 'tool', 'rm', never)).rejects.toBeInstanceOf(ReplayDivergedError);
    expect(await replay.journal.answer('', 'memory', 'synthesize', never, () => null)).toBeNull();
  });
});
