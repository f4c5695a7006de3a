import { describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import { RunEventTail } from './event-tail';

const delta = (seq: number): RunEvent => ({
  runId: 'r',
  seq,
  at: '2026-12-01T00:00:00.000Z',
  nodeId: 'n',
  type: 'llm.delta',
  data: { text: String(seq) },
});
const seqs = (events: RunEvent[] | null) => events?.map((event) => event.seq) ?? null;

describe('RunEventTail', () => {
  it('answers from memory what follows a seq it still holds', () => {
    const tail = new RunEventTail(100);
    tail.push([delta(5), delta(6), delta(7)]);
    expect(seqs(tail.after(4))).toEqual([5, 6, 7]);
    expect(seqs(tail.after(6))).toEqual([7]);
    expect(seqs(tail.after(7))).toEqual([]);
  });

  it('sends a follower to the database when it is behind the tail, or the tail is empty', () => {
    const tail = new RunEventTail(100);
    expect(tail.after(0)).toBeNull();
    tail.push([delta(5), delta(6)]);
    expect(tail.after(3)).toBeNull();
  });

  it('stays bounded, keeping the newest events', () => {
    const tail = new RunEventTail(10);
    tail.push(Array.from({ length: 25 }, (_, index) => delta(index + 1)));
    expect(tail.after(0)).toBeNull();
    const kept = tail.after(20);
    expect(seqs(kept)).toEqual([21, 22, 23, 24, 25]);
    expect(seqs(tail.after(10))).toBeNull();
  });
});
