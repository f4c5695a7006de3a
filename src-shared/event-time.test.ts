import { describe, expect, it } from 'vitest';
import { eventTimeMs } from './event-time';

describe('eventTimeMs', () => {
  it('gives the time of each stamp, repeated or alternating, and NaN for one that is not a time', () => {
    const stamps = ['2026-12-02T10:00:00.000Z', '2026-12-02T10:00:00.000Z', '2026-12-02T10:00:01.250Z'];
    for (const at of [...stamps, stamps[0] as string, ...stamps]) expect(eventTimeMs(at)).toBe(Date.parse(at));
    expect(eventTimeMs('not a time')).toBeNaN();
    expect(eventTimeMs(stamps[2] as string)).toBe(Date.parse(stamps[2] as string));
  });
});
