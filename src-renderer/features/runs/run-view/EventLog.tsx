import { memo, useMemo } from 'react';
import type { RunEvent } from '@shared/run-events';
import { useWarRoom, useWarRoomActions } from './war-room-store';

/** The raw log shows the latest events only: a long run's tens of thousands would be one huge list. */
const SHOWN_EVENTS = 300;

/** The run's raw events, newest last; an event this version cannot read is shown as stored, with why. */
export function EventLog() {
  const lastSeq = useWarRoom((state) => state.lastSeq);
  const count = useWarRoom((state) => state.eventCount);
  const room = useWarRoomActions();
  // Re-read when a frame brought new events (lastSeq is what changes).
  const events = useMemo(() => (lastSeq >= 0 ? room.recentEvents(SHOWN_EVENTS) : []), [room, lastSeq]);
  return (
    <>
      <h3 className="run-section">
        Events ({count}){count > SHOWN_EVENTS ? <span className="muted small"> · the last {SHOWN_EVENTS}</span> : null}
      </h3>
      <ol className="event-log" data-testid="event-log">
        {events.map((event) => (
          <li key={event.seq}>
            <EventLine event={event} />
          </li>
        ))}
      </ol>
    </>
  );
}

/** An event never changes: a frame that brought new ones draws only those. */
const EventLine = memo(function EventLine({ event }: { event: RunEvent }) {
  const node = event.nodeId ? <span className="muted"> · {event.nodeId}</span> : null;
  if (event.type === 'unknown') {
    return (
      <>
        <span className="muted">#{event.seq}</span> <strong>{event.rawType}</strong>
        {node}
        <span className="muted"> (not readable here: {event.problem})</span>
        <code className="event-data"> {JSON.stringify(event.data)}</code>
      </>
    );
  }
  return (
    <>
      <span className="muted">#{event.seq}</span> <strong>{event.type}</strong>
      {node}
      {event.type === 'llm.delta' || event.type === 'sandbox.output' ? (
        <span className="event-data"> {event.data.text}</span>
      ) : null}
    </>
  );
});
