import type { TimelineSnapshot, TimelineSpan } from '@shared/run-timeline';
import { formatDuration } from './format';
import { html, type SafeHtml } from './html';

const LABEL_WIDTH = 220;
const CHART_WIDTH = 740;
const ROW_HEIGHT = 22;
const AXIS_HEIGHT = 26;
const TICKS = 5;

/**
 * The timeline of agents as an inline SVG: a lane per agent (members indented under their team), the
 * node's own execution as a pale bar and its model calls, tools, sandbox runs and waits on top. Each
 * span carries a tooltip (`<title>`), which works without script.
 */
export function timelineSvg(timeline: TimelineSnapshot, laneLabel: (laneId: string) => string): SafeHtml {
  const { startMs, endMs, laneOrder } = timeline;
  if (startMs === null || endMs === null || laneOrder.length === 0) {
    return html`<p class="muted">No activity was recorded.</p>`;
  }
  const total = Math.max(1, endMs - startMs);
  const x = (ms: number) => LABEL_WIDTH + ((ms - startMs) / total) * CHART_WIDTH;
  const height = AXIS_HEIGHT + laneOrder.length * ROW_HEIGHT;
  // Room on the right for the last tick's label, centred on the chart's end.
  const width = LABEL_WIDTH + CHART_WIDTH + 40;

  const ticks = Array.from({ length: TICKS + 1 }, (_, index) => {
    const offset = (total * index) / TICKS;
    const at = x(startMs + offset);
    return html`<line class="tick" x1="${at}" x2="${at}" y1="${AXIS_HEIGHT - 4}" y2="${height}"></line>
      <text class="axis" x="${at}" y="${AXIS_HEIGHT - 8}" text-anchor="middle">${formatDuration(offset)}</text>`;
  });

  const rows = laneOrder.map((laneId, row) => {
    const lane = timeline.lanes[laneId];
    if (!lane) return html``;
    const top = AXIS_HEIGHT + row * ROW_HEIGHT;
    const spans = [...lane.spans].sort((a, b) => Number(b.kind === 'node') - Number(a.kind === 'node'));
    return html`<g class="lane" data-lane="${laneId}">
      <text class="lane-label" x="${4 + lane.depth * 12}" y="${top + 15}">${laneLabel(laneId)}</text>
      <line
        class="lane-rule"
        x1="${LABEL_WIDTH}"
        x2="${LABEL_WIDTH + CHART_WIDTH}"
        y1="${top + ROW_HEIGHT - 1}"
        y2="${top + ROW_HEIGHT - 1}"
      ></line>
      ${spans.map((span) => spanRect(span, top, x, endMs))}
    </g>`;
  });

  return html`<svg
    class="timeline"
    role="img"
    aria-label="Timeline of agents"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
  >
    ${ticks} ${rows}
  </svg>`;
}

function spanRect(span: TimelineSpan, top: number, x: (ms: number) => number, runEndMs: number): SafeHtml {
  const end = span.endMs ?? runEndMs;
  const left = x(span.startMs);
  const barWidth = Math.max(2, x(end) - left);
  const node = span.kind === 'node';
  const y = node ? top + 3 : top + 6;
  const barHeight = node ? ROW_HEIGHT - 6 : ROW_HEIGHT - 12;
  const tooltip = `${span.label} · ${span.kind} · ${formatDuration(end - span.startMs)} · ${span.state}`;
  return html`<rect
    class="span span-${span.kind} span-${span.state}"
    x="${left.toFixed(1)}"
    y="${y}"
    width="${barWidth.toFixed(1)}"
    height="${barHeight}"
    rx="2"
    ><title>${tooltip}</title></rect
  >`;
}
