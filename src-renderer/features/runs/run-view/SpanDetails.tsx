import type { RunEvent } from '@shared/run-events';
import { RUN_LANE_ID } from '@shared/run-timeline';
import { SPAN_KIND_LABELS } from './Timeline';
import { formatDuration } from './timeline-geometry';
import { useWarRoom, useWarRoomActions } from './war-room-store';

/** The drawer for the span clicked on the timeline: what it was, when, and the events that opened and closed it. */
export function SpanDetails(props: { onFork(nodeId: string): void; canFork: boolean }) {
  const span = useWarRoom((state) => state.selectedSpan);
  const lane = useWarRoom((state) => (span ? state.timeline.lanes[span.laneId] : undefined));
  const room = useWarRoomActions();
  if (!span) return null;
  const opened = room.eventAt(span.startSeq);
  const closed = span.endSeq === null ? undefined : room.eventAt(span.endSeq);
  const close = () => room.store.setState({ selectedSpan: null });
  // A fork re-runs a canvas node (a member is re-run by re-running its team).
  const forkNode = lane && lane.depth === 0 && lane.id !== RUN_LANE_ID ? lane.id : null;

  return (
    <aside className="war-drawer" aria-label="Span details" data-testid="span-details">
      <div className="war-drawer-header">
        <strong>
          {SPAN_KIND_LABELS[span.kind]} · {span.label}
        </strong>
        <button type="button" className="button small" onClick={close} aria-label="Close details">
          ✕
        </button>
      </div>
      <dl className="details">
        <div className="details-row">
          <dt>Agent</dt>
          <dd>{lane?.label ?? span.laneId}</dd>
        </div>
        <div className="details-row">
          <dt>State</dt>
          <dd>{span.state}</dd>
        </div>
        <div className="details-row">
          <dt>Started</dt>
          <dd>{new Date(span.startMs).toLocaleTimeString()}</dd>
        </div>
        <div className="details-row">
          <dt>Took</dt>
          <dd>{span.endMs === null ? 'still going' : formatDuration(span.endMs - span.startMs)}</dd>
        </div>
      </dl>
      <div className="modal-actions">
        <button
          type="button"
          className="button small"
          onClick={() => room.store.setState({ selectedLaneId: span.laneId })}
        >
          Show transcript
        </button>
        {forkNode && props.canFork ? (
          <button type="button" className="button small" onClick={() => props.onFork(forkNode)}>
            Fork from {forkNode}
          </button>
        ) : null}
      </div>
      <EventData title="Opened by" event={opened} />
      {closed ? <EventData title="Closed by" event={closed} /> : null}
    </aside>
  );
}

function EventData({ title, event }: { title: string; event: RunEvent | undefined }) {
  if (!event) return null;
  return (
    <>
      <h4 className="run-section">
        {title} #{event.seq} {event.type === 'unknown' ? event.rawType : event.type}
      </h4>
      <pre className="run-output war-event-data">{JSON.stringify(event.data, null, 2)}</pre>
    </>
  );
}
