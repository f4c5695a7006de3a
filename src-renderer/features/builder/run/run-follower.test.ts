import { describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import { followRunEvents, type RunEventSource } from './run-follower';

function delta(seq: number): RunEvent {
  return {
    runId: 'run-1',
    seq,
    at: '2026-11-21T12:00:00.000Z',
    type: 'llm.delta',
    nodeId: 'agent',
    data: { text: `${seq}` },
  };
}

/**
 * A server that holds events 1..total and drops the connection after sending `perConnection` of them;
 * like the real one, it may resend an event the client already has.
 */
function flakyServer(total: number, perConnection: number) {
  const requests: number[] = [];
  const source: RunEventSource = async ({ afterSeq }) => {
    requests.push(afterSeq);
    return (async function* () {
      // Repeats the last delivered event, as a server replaying its tail would.
      const from = Math.max(1, afterSeq);
      for (let seq = from; seq <= Math.min(total, from + perConnection); seq++) yield delta(seq);
      if (from + perConnection < total) throw new Error('connection dropped');
    })();
  };
  return { source, requests };
}

describe('following a run', () => {
  it('reconnects after a dropped stream from the last event seen, losing and repeating nothing', async () => {
    const server = flakyServer(10, 3);
    const seen: number[] = [];
    const errors: string[] = [];
    const following = followRunEvents(server.source, {
      runId: 'run-1',
      afterSeq: 0,
      follow: true,
      reconnectDelayMs: 1,
      onEvent: (event) => seen.push(event.seq),
      onError: (cause) => errors.push(cause instanceof Error ? cause.message : String(cause)),
    });
    expect(await following.ended).toBe(true);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(server.requests).toEqual([0, 4, 7]);
    expect(errors).toEqual(['connection dropped', 'connection dropped']);
  });

  it('starts after the seq it is given, and stops when asked', async () => {
    const server = flakyServer(10, 100);
    const seen: number[] = [];
    const from = followRunEvents(server.source, {
      runId: 'run-1',
      afterSeq: 6,
      follow: false,
      onEvent: (event) => seen.push(event.seq),
    });
    expect(await from.ended).toBe(true);
    expect(seen).toEqual([7, 8, 9, 10]);

    const never: RunEventSource = async (_input, { signal }) =>
      (async function* () {
        // Like a real stream, it waits for live events and gives up when its caller aborts.
        await new Promise((resolve) => (signal.aborted ? resolve(null) : signal.addEventListener('abort', resolve)));
        yield delta(1);
      })();
    const stopped = followRunEvents(never, { runId: 'run-1', afterSeq: 0, follow: true, onEvent: () => undefined });
    stopped.stop();
    expect(await stopped.ended).toBe(false);
  });
});
