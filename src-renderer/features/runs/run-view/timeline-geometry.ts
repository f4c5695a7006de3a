import type { SpanKind, TimelineSpan } from '@shared/run-timeline';

/** The stretch of time the timeline shows, and how wide it is drawn. */
export interface TimeWindow {
  startMs: number;
  endMs: number;
  widthPx: number;
}

/** What one lane draws: a span, or several of one kind too close to tell apart at this zoom. */
export interface SpanSegment {
  span: TimelineSpan;
  kind: SpanKind;
  leftPx: number;
  widthPx: number;
  /** How many spans it stands for (1 unless zoomed out past them). */
  count: number;
  open: boolean;
}

/** Spans closer than this (in pixels) are drawn as one segment: a long run stays a few hundred elements. */
const MERGE_PX = 3;
const MIN_WIDTH_PX = 2;

export function pxOf(window: TimeWindow, atMs: number): number {
  const span = Math.max(1, window.endMs - window.startMs);
  return ((atMs - window.startMs) / span) * window.widthPx;
}

export function msOf(window: TimeWindow, px: number): number {
  return window.startMs + (px / window.widthPx) * Math.max(1, window.endMs - window.startMs);
}

/**
 * A lane's spans inside the window, as segments: open spans reach `nowMs`; spans of one kind that touch
 * at this zoom merge (the first one stands for the segment when clicked). The node span is drawn first,
 * under the others.
 */
export function segmentsOf(spans: readonly TimelineSpan[], window: TimeWindow, nowMs: number): SpanSegment[] {
  const segments: SpanSegment[] = [];
  const lastOfKind = new Map<SpanKind, SpanSegment>();
  for (const span of spans) {
    const endMs = span.endMs ?? Math.max(nowMs, span.startMs);
    if (endMs < window.startMs || span.startMs > window.endMs) continue;
    const left = Math.max(0, pxOf(window, span.startMs));
    const right = Math.min(window.widthPx, Math.max(pxOf(window, endMs), left + MIN_WIDTH_PX));
    const previous = lastOfKind.get(span.kind);
    if (previous && span.kind !== 'node' && left <= previous.leftPx + previous.widthPx + MERGE_PX) {
      previous.widthPx = Math.max(previous.widthPx, right - previous.leftPx);
      previous.count += 1;
      previous.open ||= span.endMs === null;
      continue;
    }
    const segment: SpanSegment = {
      span,
      kind: span.kind,
      leftPx: left,
      widthPx: right - left,
      count: 1,
      open: span.endMs === null,
    };
    segments.push(segment);
    lastOfKind.set(span.kind, segment);
  }
  return segments.sort((a, b) => (a.kind === 'node' ? 0 : 1) - (b.kind === 'node' ? 0 : 1));
}

/** The window zoomed by `factor` (above 1 zooms in) around the moment under `anchorPx`. */
export function zoomed(window: TimeWindow, factor: number, anchorPx: number): TimeWindow {
  const anchor = msOf(window, anchorPx);
  const span = Math.max(10, (window.endMs - window.startMs) / factor);
  const share = anchorPx / window.widthPx;
  return { ...window, startMs: anchor - span * share, endMs: anchor - span * share + span };
}

/** The window moved by `deltaPx` (positive: later). */
export function panned(window: TimeWindow, deltaPx: number): TimeWindow {
  const deltaMs = (deltaPx / window.widthPx) * (window.endMs - window.startMs);
  return { ...window, startMs: window.startMs + deltaMs, endMs: window.endMs + deltaMs };
}

/** Lanes to render in a scrolled list of fixed-height rows (a few above and below for smooth scrolling). */
export function visibleRows(count: number, rowPx: number, scrollTop: number, heightPx: number): [number, number] {
  const overscan = 5;
  const first = Math.max(0, Math.floor(scrollTop / rowPx) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + heightPx) / rowPx) + overscan);
  return [first, last];
}

/** "850 ms", "12.4 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}
