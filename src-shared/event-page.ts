import { z } from 'zod';
import type { RunEvent } from './run-events';

/**
 * A page of a run's stored events on its way to a viewer (`runs.eventPage`), as one JSON text.
 *
 * Two costs shaped it. The RPC serializer walks every value of a response looking for dates, maps and
 * blobs, allocating a path for each: on a 5,000-event page that walk cost several times the JSON, so
 * the page is one string. And a viewer opening a long run receives tens of thousands of events whose
 * envelopes repeat: the run id, a time shared by every event of one write, a handful of node ids and
 * event types. Those are sent once per page, in a table of strings the rows point into, which halves
 * the bytes the viewer receives and parses.
 *
 * The text is `{ runId, strings, rows }`: `rows` holds ROW_WIDTH values per event — seq, the index of
 * its time, of its node id and of its type in `strings`, its data, and 0 or (for an event this version
 * could not read) `[rawType, problem]`.
 */
export const EventPageSchema = z.object({ json: z.string() });
export type EventPage = z.infer<typeof EventPageSchema>;

const ROW_WIDTH = 6;

interface PageText {
  runId: string;
  strings: Array<string | null>;
  rows: unknown[];
}

/** A page of one run's events (the run id is written once: events of another run are refused). */
export function toEventPage(events: readonly RunEvent[]): EventPage {
  const runId = events[0]?.runId ?? '';
  const indexOf = new Map<string | null, number>();
  const strings: Array<string | null> = [];
  const ref = (value: string | null): number => {
    let index = indexOf.get(value);
    if (index === undefined) {
      index = strings.length;
      strings.push(value);
      indexOf.set(value, index);
    }
    return index;
  };
  const rows: unknown[] = [];
  for (const event of events) {
    if (event.runId !== runId) throw new Error(`an event page holds one run's events: ${event.runId} is not ${runId}`);
    const unread = event.type === 'unknown' ? [event.rawType, event.problem] : 0;
    rows.push(event.seq, ref(event.at), ref(event.nodeId), ref(event.type), event.data, unread);
  }
  const page: PageText = { runId, strings, rows };
  return { json: JSON.stringify(page) };
}

/** The events of a page, as the store decoded them (an event it could not read is an `unknown` one). */
export function eventsOfPage(page: EventPage): RunEvent[] {
  const { runId, strings, rows } = JSON.parse(page.json) as PageText;
  const events: RunEvent[] = [];
  for (let row = 0; row < rows.length; row += ROW_WIDTH) {
    const seq = rows[row] as number;
    const at = strings[rows[row + 1] as number] as string;
    const nodeId = strings[rows[row + 2] as number] ?? null;
    const type = strings[rows[row + 3] as number] as RunEvent['type'];
    const data = rows[row + 4];
    const unread = rows[row + 5] as 0 | [rawType: string, problem: string];
    events.push(
      (unread === 0
        ? { runId, seq, at, nodeId, type, data }
        : { runId, seq, at, nodeId, type, data, rawType: unread[0], problem: unread[1] }) as RunEvent,
    );
  }
  return events;
}
