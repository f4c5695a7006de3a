import { describe, expect, it } from 'vitest';
import { StatsQuerySchema } from '@shared/stats';
import { bucketLabel, formatBytes, formatPercent, formatUsd, statsQueryFor, TIME_RANGES } from './time-range';

describe('the Dashboard time range', () => {
  const now = new Date('2026-12-02T05:30:00.000Z');

  it('asks for the last 24 hours by the hour and longer ranges by the day, each a valid query', () => {
    expect(statsQueryFor('24h', now)).toEqual({
      from: '2026-12-01T05:30:01.000Z',
      to: '2026-12-02T05:30:01.000Z',
      bucket: 'hour',
    });
    expect(statsQueryFor('7d', now)).toMatchObject({ from: '2026-11-25T05:30:01.000Z', bucket: 'day' });
    for (const range of TIME_RANGES)
      expect(StatsQuerySchema.safeParse(statsQueryFor(range.id, now)).success).toBe(true);
  });

  it('labels buckets and formats figures for people', () => {
    expect(bucketLabel('2026-12-02')).toBe('12-02');
    expect(bucketLabel('2026-12-02T05')).toBe('05:00');
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(6)).toBe('$6.00');
    expect(formatUsd(250.4)).toBe('$250');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatPercent(3 / 7)).toBe('43%');
    expect(formatPercent(0.05)).toBe('5.0%');
  });
});
