import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRunEvent, RunEventSchema } from './run-events';

const envelope = { runId: 'r1', seq: 3, at: '2026-12-01T10:00:00.000Z', nodeId: 'coder' };

describe('decodeRunEvent', () => {
  it('reads a known event with its typed data', () => {
    const event = decodeRunEvent({
      ...envelope,
      type: 'tool.call',
      data: { scope: 'coder#1', name: 'read_file', input: {} },
    });
    expect(event).toEqual({ ...envelope, type: 'tool.call', data: { scope: 'coder#1', name: 'read_file', input: {} } });
  });

  it('keeps an event type it does not know, raw, with the reason', () => {
    const event = decodeRunEvent({ ...envelope, type: 'crew.hologram.shown', data: { id: 't1' } });
    expect(event).toEqual({
      ...envelope,
      type: 'unknown',
      rawType: 'crew.hologram.shown',
      data: { id: 't1' },
      problem: 'unknown event type "crew.hologram.shown"',
    });
    expect(RunEventSchema.safeParse(event).success).toBe(true);
  });

  it('keeps a known type whose data does not fit, naming the field', () => {
    const event = decodeRunEvent({
      ...envelope,
      type: 'node.failed',
      data: { scope: 'a#1', error: 42, policy: 'fail' },
    });
    expect(event.type).toBe('unknown');
    expect(event.type === 'unknown' && event.problem).toMatch(/^data\.error: /);
  });

  it('never throws, whatever is stored', () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (type, data) => {
        const event = decodeRunEvent({ ...envelope, type, data });
        expect(RunEventSchema.safeParse(event).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
