import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventsOfPage, toEventPage } from './event-page';
import { decodeRunEvent, RUN_EVENT_TYPES, type RunEvent } from './run-events';

/** Events as a store read gives them: decoded, so unknown types and misfitting data become `unknown` events. */
const storedEvent = (runId: string) =>
  fc
    .record({
      seq: fc.integer({ min: 1, max: 1_000_000 }),
      at: fc.constantFrom('2026-12-02T10:00:00.000Z', '2026-12-02T10:00:00.250Z', '2026-12-02T11:30:00.000Z'),
      type: fc.oneof(fc.constantFrom(...RUN_EVENT_TYPES), fc.string()),
      nodeId: fc.option(fc.constantFrom('crew', 'crew/1.2', 'a', ''), { nil: null }),
      data: fc.oneof(
        fc.jsonValue(),
        fc.record({ text: fc.string() }),
        fc.record({ scope: fc.string(), inputs: fc.dictionary(fc.string(), fc.jsonValue()) }),
      ),
    })
    .map((fields): RunEvent => decodeRunEvent({ runId, ...fields }));

/** As the viewer sees it: JSON carries -0 as 0, and a plain object for every record. */
const asJson = (events: readonly RunEvent[]) => JSON.parse(JSON.stringify(events)) as unknown;

describe('event pages', () => {
  it('give back every event of the page, known or unknown, as JSON would carry it', () => {
    fc.assert(
      fc.property(fc.array(storedEvent('run-7'), { maxLength: 60 }), (events) => {
        expect(eventsOfPage(toEventPage(events))).toEqual(asJson(events));
      }),
      { numRuns: 300 },
    );
  });

  it('send each repeated envelope once: a long run page is well under half its plain JSON', () => {
    const events = Array.from({ length: 5000 }, (_, index) =>
      decodeRunEvent({
        runId: 'run_448ba33e-36c1-459a-b708-5ecfea531e72',
        seq: index + 1,
        at: new Date(Date.UTC(2026, 11, 2, 10, 0, Math.floor(index / 100))).toISOString(),
        type: 'llm.delta',
        nodeId: `crew/1.${index % 100}`,
        data: { text: 'ok ' },
      }),
    );
    const page = toEventPage(events);
    expect(eventsOfPage(page)).toEqual(events);
    expect(page.json.length).toBeLessThan(JSON.stringify(events).length / 2);
  });

  it('is empty for no events, and refuses events of two runs in one page', () => {
    expect(eventsOfPage(toEventPage([]))).toEqual([]);
    const event = (runId: string) =>
      decodeRunEvent({
        runId,
        seq: 1,
        at: '2026-12-02T10:00:00.000Z',
        type: 'llm.delta',
        nodeId: null,
        data: { text: 'x' },
      });
    expect(() => toEventPage([event('a'), event('b')])).toThrow(/one run's events: b is not a/);
  });
});
