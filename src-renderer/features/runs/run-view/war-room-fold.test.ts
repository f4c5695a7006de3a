import { beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import { aRun } from '@shared/testing/run-fixture';
import { restartRunEvents, runStarted, started } from '../../builder/run/testing/run-events';
import { WarRoomFold } from './war-room-fold';

const RUN = aRun({ id: 'run-1', status: 'running', budget: {} });

describe('WarRoomFold', () => {
  beforeEach(restartRunEvents);

  it('finds an event by its seq across gaps, counts each event once, and knows no seq it was not given', () => {
    const fold = new WarRoomFold(RUN);
    const events: RunEvent[] = [runStarted(), ...Array.from({ length: 40 }, (_, index) => started(`n${index}`))];
    // A reconnect's stream starts after what the pages gave: seqs 1–10 and 25–41 arrive, 11–24 do not.
    const given = [...events.slice(0, 10), ...events.slice(24)];
    for (const event of given) fold.apply(event);
    // Repeats (a reconnect from an earlier seq) are ignored.
    for (const event of events.slice(30, 35)) fold.apply(event);

    expect(fold.snapshot().eventCount).toBe(given.length);
    for (const event of given) expect(fold.eventAt(event.seq)).toBe(event);
    for (const seq of [0, 11, 17, 24, 42, -1, 3.5]) expect(fold.eventAt(seq)).toBeUndefined();
    expect(fold.recentEvents(3).map((event) => event.seq)).toEqual([39, 40, 41]);
  });
});
