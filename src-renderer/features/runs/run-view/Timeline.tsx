import {
  memo,
  useEffect,
  useMemo,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
  type RefObject,
} from 'react';
import { peakConcurrency, type SpanKind } from '@shared/run-timeline';
import { TERMINAL_RUN_STATUSES } from '@shared/runs';
import { useWarRoom, useWarRoomActions } from './war-room-store';
import { formatDuration, panned, pxOf, segmentsOf, visibleRows, zoomed, type TimeWindow } from './timeline-geometry';

const ROW_PX = 26;
const LABEL_PX = 200;
const MAX_BODY_PX = 440;
/** How often open spans are redrawn to reach "now" (the now line itself moves every frame). */
const CLOCK_MS = 250;

export const SPAN_KIND_LABELS: Record<SpanKind, string> = {
  node: 'node',
  model: 'model call',
  tool: 'tool call',
  sandbox: 'sandbox',
  approval: 'approval wait',
  budget: 'budget pause',
};

/** The time now, a few times a second while the run is live (open spans grow with it); frozen otherwise. */
function useClock(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
    return () => clearInterval(timer);
  }, [live]);
  return now;
}

function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(200, entry.contentRect.width - LABEL_PX));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * One lane per agent, team members nested under their team or delegator, with their spans; zoom
 * (buttons, ctrl+wheel), pan (drag, shift+wheel), a moving "now" line while live. Only the rows in view
 * are rendered, and each row subscribes to its own lane.
 */
export function Timeline() {
  const laneOrder = useWarRoom((state) => state.timeline.laneOrder);
  const firstMs = useWarRoom((state) => state.timeline.startMs);
  const live = useWarRoom((state) => state.status !== null && !TERMINAL_RUN_STATUSES.includes(state.status));
  // A live timeline reaches "now" (the clock), so the last event's time would only redraw it every frame.
  const lastMs = useWarRoom((state) => (live ? null : state.timeline.endMs));
  const busyNow = useWarRoom((state) => state.timeline.busyNow);
  // The run's peak is a sweep over every span: only for a finished run, whose timeline no longer changes.
  const timeline = useWarRoom((state) => (live ? null : state.timeline));
  const now = useClock(live);
  const [containerRef, widthPx] = useWidth();
  const [view, setView] = useState<{ startMs: number; endMs: number } | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const peak = useMemo(() => (timeline ? peakConcurrency(timeline) : null), [timeline]);

  const fit: TimeWindow = {
    startMs: firstMs ?? now,
    endMs: Math.max((live ? now : lastMs) ?? now, (firstMs ?? now) + 1000),
    widthPx,
  };
  const shown: TimeWindow = view ? { ...view, widthPx } : fit;
  const drag = useRef<{ x: number; window: TimeWindow } | null>(null);
  const change = (next: TimeWindow) => setView({ startMs: next.startMs, endMs: next.endMs });
  const bodyPx = Math.min(MAX_BODY_PX, Math.max(ROW_PX, laneOrder.length * ROW_PX));
  const [first, last] = visibleRows(laneOrder.length, ROW_PX, scrollTop, bodyPx);

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if ((event.target as HTMLElement).closest('button')) return;
    drag.current = { x: event.clientX, window: shown };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    change(panned(drag.current.window, drag.current.x - event.clientX));
  };

  return (
    <section className="war-timeline" aria-label="Timeline" ref={containerRef}>
      <div className="war-timeline-toolbar">
        <button type="button" className="button small" onClick={() => change(zoomed(shown, 2, widthPx / 2))}>
          Zoom in
        </button>
        <button type="button" className="button small" onClick={() => change(zoomed(shown, 0.5, widthPx / 2))}>
          Zoom out
        </button>
        <button type="button" className="button small" disabled={view === null} onClick={() => setView(null)}>
          Fit
        </button>
        <span className="muted small" data-testid="timeline-summary">
          {laneOrder.length} lane{laneOrder.length === 1 ? '' : 's'} ·{' '}
          {peak === null ? `${busyNow} busy now` : `up to ${peak} busy at once`} ·{' '}
          {formatDuration(shown.endMs - shown.startMs)} shown
        </span>
        <Legend />
      </div>
      <div
        className="war-timeline-body"
        style={{ height: bodyPx }}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        onWheel={(event) => {
          if (event.ctrlKey || event.metaKey) {
            const anchor = event.clientX - event.currentTarget.getBoundingClientRect().left - LABEL_PX;
            change(zoomed(shown, event.deltaY < 0 ? 1.25 : 0.8, Math.max(0, anchor)));
          } else if (event.shiftKey) {
            change(panned(shown, event.deltaY));
          }
        }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
      >
        <div className="war-timeline-rows" style={{ height: laneOrder.length * ROW_PX }} data-testid="timeline-lanes">
          {laneOrder.slice(first, last).map((laneId, index) => (
            <LaneRow
              key={laneId}
              laneId={laneId}
              top={(first + index) * ROW_PX}
              startMs={shown.startMs}
              endMs={shown.endMs}
              widthPx={widthPx}
              now={now}
            />
          ))}
          {live ? <NowLine window={shown} /> : null}
        </div>
      </div>
    </section>
  );
}

function Legend() {
  return (
    <span className="war-legend small">
      {(Object.keys(SPAN_KIND_LABELS) as SpanKind[])
        .filter((kind) => kind !== 'node')
        .map((kind) => (
          <span key={kind}>
            <i className={`war-span-swatch war-span-${kind}`} /> {SPAN_KIND_LABELS[kind]}
          </span>
        ))}
    </span>
  );
}

/** Window bounds as separate numbers, so a row whose lane and window did not change skips rendering. */
const LaneRow = memo(function LaneRow(props: {
  laneId: string;
  top: number;
  startMs: number;
  endMs: number;
  widthPx: number;
  now: number;
}) {
  const lane = useWarRoom((state) => state.timeline.lanes[props.laneId]);
  const selected = useWarRoom((state) => state.selectedLaneId === props.laneId);
  const selectedSpanId = useWarRoom((state) =>
    state.selectedSpan?.laneId === props.laneId ? state.selectedSpan.id : null,
  );
  const room = useWarRoomActions();
  const hasOpen = lane?.spans.some((span) => span.endMs === null) ?? false;
  // A lane with nothing open does not move with the clock.
  const now = hasOpen ? props.now : 0;
  const { startMs, endMs, widthPx } = props;
  const segments = useMemo(
    () => (lane ? segmentsOf(lane.spans, { startMs, endMs, widthPx }, now) : []),
    [lane, startMs, endMs, widthPx, now],
  );
  if (!lane) return null;
  return (
    <div
      className={`war-lane${selected ? ' war-lane-selected' : ''}`}
      style={{ top: props.top, height: ROW_PX }}
      data-testid="timeline-lane"
      data-lane={lane.id}
    >
      <button
        type="button"
        className="war-lane-label"
        style={{ paddingLeft: 6 + lane.depth * 14, width: LABEL_PX }}
        title={lane.id}
        onClick={() => room.store.setState({ selectedLaneId: lane.id })}
      >
        {lane.label}
      </button>
      <div className="war-lane-track">
        {segments.map((segment) => (
          <button
            type="button"
            key={segment.span.id}
            className={`war-span war-span-${segment.kind} war-span-state-${segment.span.state}${
              segment.span.id === selectedSpanId ? ' war-span-selected' : ''
            }`}
            style={{ left: segment.leftPx, width: segment.widthPx }}
            data-testid="timeline-span"
            data-kind={segment.kind}
            data-open={segment.open ? 'true' : undefined}
            title={`${SPAN_KIND_LABELS[segment.kind]}: ${segment.span.label}${
              segment.count > 1 ? ` (+${segment.count - 1} more; zoom in to tell them apart)` : ''
            }`}
            aria-label={`${SPAN_KIND_LABELS[segment.kind]} ${segment.span.label}`}
            onClick={() => room.store.setState({ selectedSpan: segment.span, selectedLaneId: lane.id })}
          />
        ))}
      </div>
    </div>
  );
});

/** Moves every frame without React: only its transform changes. */
function NowLine({ window: { startMs, endMs, widthPx } }: { window: TimeWindow }) {
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    let frame = 0;
    const move = () => {
      const element = ref.current;
      if (element) {
        const x = pxOf({ startMs, endMs, widthPx }, Date.now());
        element.style.transform = `translateX(${LABEL_PX + Math.min(widthPx, Math.max(0, x))}px)`;
      }
      frame = requestAnimationFrame(move);
    };
    frame = requestAnimationFrame(move);
    return () => cancelAnimationFrame(frame);
  }, [startMs, endMs, widthPx]);
  return <div className="war-now" ref={ref} data-testid="timeline-now" aria-hidden="true" />;
}
