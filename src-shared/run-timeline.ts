import { eventTimeMs } from './event-time';
import type { RunEvent } from './run-events';

/**
 * A run as a timeline: one lane per agent (a canvas node, or a team member nested under its team or
 * the member that delegated to it) with spans for what it was doing — the node's own execution, model
 * calls, tool calls, sandbox executions, approval waits and budget pauses. Folded from the event stream
 * only, so the run view, the HTML report and the CLI draw the same picture.
 *
 * `TimelineFold` is incremental (the live view applies a frame's events, then takes a snapshot in which
 * only the lanes that changed are new objects); `foldTimeline` folds a whole stream at once.
 */

export type SpanKind = 'node' | 'model' | 'tool' | 'sandbox' | 'approval' | 'budget';
/** `stopped`: ended by the run stopping (failed, cancelled, paused), not by itself. */
export type SpanState = 'open' | 'ok' | 'error' | 'stopped';

export interface TimelineSpan {
  /** Unique in the run: the kind and the seq of the event that opened it. */
  id: string;
  laneId: string;
  kind: SpanKind;
  label: string;
  startMs: number;
  /** Null while open (a live run draws it up to "now"). */
  endMs: number | null;
  state: SpanState;
  /** The events that opened and closed the span, for its details. */
  startSeq: number;
  endSeq: number | null;
}

export interface TimelineLane {
  /** The node id its events carry (a member's: `<team node id>/<task id>`). */
  id: string;
  parentId: string | null;
  label: string;
  /** How deep it nests (0: a canvas node). */
  depth: number;
  spans: readonly TimelineSpan[];
}

export interface TimelineSnapshot {
  /** The time of the first and last event (null before any). */
  startMs: number | null;
  endMs: number | null;
  /** Lane ids in display order: each parent before its children, siblings in the order they appeared. */
  laneOrder: readonly string[];
  lanes: Readonly<Record<string, TimelineLane>>;
  /** How many lanes have work open (a model call, a tool call, a sandbox run, a wait) right now. */
  busyNow: number;
}

/** The lane of events that belong to no node (memory synthesis, a run-wide budget pause). */
export const RUN_LANE_ID = '(run)';

interface MutableLane {
  id: string;
  parentId: string | null;
  label: string;
  spans: TimelineSpan[];
  children: string[];
}

const CLOSES_ALL = new Set(['run.completed', 'run.failed', 'run.cancelled', 'run.paused']);

export class TimelineFold {
  private readonly lanes = new Map<string, MutableLane>();
  private readonly roots: string[] = [];
  /** Open spans by what closes them (`<kind>|<lane>[|<call id>]`). */
  private readonly open = new Map<string, TimelineSpan>();
  /** When a lane's current model call first streamed text (old runs have no `llm.started`). */
  private readonly firstDelta = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private structureChanged = false;
  private startMs: number | null = null;
  private endMs: number | null = null;
  /** Open spans other than node spans, per lane: kept as events arrive so "busy now" costs nothing to read. */
  private readonly openWork = new Map<string, number>();
  private busyNow = 0;
  private last: TimelineSnapshot = { startMs: null, endMs: null, laneOrder: [], lanes: {}, busyNow: 0 };

  apply(event: RunEvent): void {
    const at = eventTimeMs(event.at);
    this.startMs ??= at;
    this.endMs = Math.max(this.endMs ?? at, at);
    const laneId = event.nodeId ?? RUN_LANE_ID;
    switch (event.type) {
      case 'node.started':
        this.openSpan(`node|${laneId}`, this.lane(laneId), 'node', laneId, event.seq, at);
        break;
      case 'node.completed':
        this.closeSpan(`node|${laneId}`, event.seq, at, 'ok');
        break;
      case 'node.failed':
        this.closeSpan(`node|${laneId}`, event.seq, at, 'error');
        break;
      case 'node.skipped':
        this.lane(laneId);
        break;
      case 'team.task.created': {
        const { taskId, parentId, role } = event.data;
        const member = `${laneId}/${taskId}`;
        this.lane(member, parentId === null ? laneId : `${laneId}/${parentId}`, `${role} · ${taskId}`);
        break;
      }
      case 'team.task.started': {
        const member = `${laneId}/${event.data.taskId}`;
        this.openSpan(`node|${member}`, this.lane(member), 'node', `task ${event.data.taskId}`, event.seq, at);
        break;
      }
      case 'team.task.completed':
        this.closeSpan(`node|${laneId}/${event.data.taskId}`, event.seq, at, 'ok');
        break;
      case 'team.task.failed':
        this.closeSpan(`node|${laneId}/${event.data.taskId}`, event.seq, at, 'error');
        break;
      case 'llm.started':
        this.firstDelta.delete(laneId);
        this.openSpan(`model|${laneId}`, this.lane(laneId), 'model', event.data.model, event.seq, at);
        break;
      case 'llm.delta':
        if (!this.open.has(`model|${laneId}`) && !this.firstDelta.has(laneId)) this.firstDelta.set(laneId, at);
        this.lane(laneId);
        break;
      case 'llm.usage': {
        const key = `model|${laneId}`;
        if (!this.open.has(key)) {
          // A call recorded before model calls had a start: it began with its first text, if any.
          const label = event.data.purpose ? `${event.data.model} (${event.data.purpose})` : event.data.model;
          this.openSpan(key, this.lane(laneId), 'model', label, event.seq, this.firstDelta.get(laneId) ?? at);
        }
        this.firstDelta.delete(laneId);
        this.closeSpan(key, event.seq, at, 'ok');
        break;
      }
      case 'tool.call': {
        const key = `tool|${laneId}|${event.data.id ?? event.data.name}`;
        this.openSpan(key, this.lane(laneId), 'tool', event.data.name, event.seq, at);
        break;
      }
      case 'tool.result':
        this.closeSpan(
          `tool|${laneId}|${event.data.id ?? event.data.name}`,
          event.seq,
          at,
          event.data.isError ? 'error' : 'ok',
        );
        break;
      case 'sandbox.started':
        this.openSpan(`sandbox|${laneId}`, this.lane(laneId), 'sandbox', event.data.language, event.seq, at);
        break;
      case 'sandbox.output':
        this.lane(laneId);
        break;
      case 'sandbox.executed': {
        const key = `sandbox|${laneId}`;
        const { language, durationMs, exitCode, termination } = event.data;
        // A journaled execution (resume, replay) did not start now: it is drawn as long as it took.
        if (!this.open.has(key)) this.openSpan(key, this.lane(laneId), 'sandbox', language, event.seq, at - durationMs);
        this.closeSpan(key, event.seq, at, termination === 'exited' && exitCode === 0 ? 'ok' : 'error');
        break;
      }
      case 'approval.requested':
        this.openSpan(`approval|${laneId}`, this.lane(laneId), 'approval', event.data.prompt, event.seq, at);
        break;
      case 'approval.decided':
        this.closeSpan(`approval|${laneId}`, event.seq, at, event.data.decision === 'reject' ? 'error' : 'ok');
        break;
      case 'budget.exceeded':
        this.openSpan(
          `budget|${laneId}`,
          this.lane(laneId),
          'budget',
          `${event.data.scope} budget reached`,
          event.seq,
          at,
        );
        break;
      case 'run.resumed':
        for (const key of [...this.open.keys()])
          if (key.startsWith('budget|')) this.closeSpan(key, event.seq, at, 'ok');
        break;
      default:
        if (event.nodeId) this.lane(laneId);
    }
    if (CLOSES_ALL.has(event.type)) {
      const ended = event.type === 'run.completed' ? 'ok' : 'stopped';
      for (const [key, span] of [...this.open]) {
        // A budget pause lasts until the run is resumed.
        if (span.kind === 'budget' && event.type === 'run.paused') continue;
        this.closeSpan(key, event.seq, at, ended);
      }
    }
  }

  /** The timeline now: lanes unchanged since the last snapshot are the same objects as in it. */
  snapshot(): TimelineSnapshot {
    if (this.dirty.size === 0 && !this.structureChanged && this.last.endMs === this.endMs) return this.last;
    const lanes: Record<string, TimelineLane> = { ...this.last.lanes };
    const depthOf = (lane: MutableLane): number => {
      let depth = 0;
      for (let parent = lane.parentId; parent !== null; parent = this.lanes.get(parent)?.parentId ?? null) depth++;
      return depth;
    };
    for (const id of this.dirty) {
      const lane = this.lanes.get(id);
      if (!lane) continue;
      lanes[id] = { id, parentId: lane.parentId, label: lane.label, depth: depthOf(lane), spans: [...lane.spans] };
    }
    this.dirty.clear();
    const laneOrder = this.structureChanged ? this.order() : this.last.laneOrder;
    this.structureChanged = false;
    this.last = { startMs: this.startMs, endMs: this.endMs, laneOrder, lanes, busyNow: this.busyNow };
    return this.last;
  }

  private order(): string[] {
    const order: string[] = [];
    const visit = (id: string) => {
      order.push(id);
      for (const child of this.lanes.get(id)?.children ?? []) visit(child);
    };
    this.roots.forEach(visit);
    return order;
  }

  /** The lane of `id`, made on first sight; a member's is placed under its parent when the task is created. */
  private lane(id: string, parentId: string | null = null, label = id): MutableLane {
    const existing = this.lanes.get(id);
    if (existing) return existing;
    if (parentId !== null) this.lane(parentId);
    const lane: MutableLane = { id, parentId, label, spans: [], children: [] };
    this.lanes.set(id, lane);
    if (parentId === null) this.roots.push(id);
    else this.lanes.get(parentId)?.children.push(id);
    this.dirty.add(id);
    this.structureChanged = true;
    return lane;
  }

  private openSpan(key: string, lane: MutableLane, kind: SpanKind, label: string, seq: number, at: number): void {
    // A span still open under the same key (a call that never reported back) ends where the next begins.
    this.closeSpan(key, seq, at, 'stopped');
    const span: TimelineSpan = {
      id: `${kind}:${seq}`,
      laneId: lane.id,
      kind,
      label,
      startMs: at,
      endMs: null,
      state: 'open',
      startSeq: seq,
      endSeq: null,
    };
    lane.spans.push(span);
    this.open.set(key, span);
    this.dirty.add(lane.id);
    if (kind !== 'node') this.countWork(lane.id, 1);
  }

  private countWork(laneId: string, change: 1 | -1): void {
    const before = this.openWork.get(laneId) ?? 0;
    const after = before + change;
    this.openWork.set(laneId, after);
    if (before === 0 && after > 0) this.busyNow++;
    if (before > 0 && after === 0) this.busyNow--;
  }

  private closeSpan(key: string, seq: number, at: number, state: Exclude<SpanState, 'open'>): void {
    const span = this.open.get(key);
    if (!span) return;
    this.open.delete(key);
    if (span.kind !== 'node') this.countWork(span.laneId, -1);
    const lane = this.lanes.get(span.laneId);
    if (!lane) return;
    // Spans are replaced, never changed, so a snapshot taken before keeps what it showed.
    const closed: TimelineSpan = { ...span, endMs: Math.max(at, span.startMs), state, endSeq: seq };
    const index = lane.spans.lastIndexOf(span);
    if (index >= 0) lane.spans[index] = closed;
    this.dirty.add(lane.id);
  }
}

export function foldTimeline(events: readonly RunEvent[]): TimelineSnapshot {
  const fold = new TimelineFold();
  for (const event of events) fold.apply(event);
  return fold.snapshot();
}

/**
 * The most lanes busy at once over the whole run: a sweep over every span's start and end. It sorts
 * every span, so it is for a finished run (drawn once), not for every frame of a live one.
 */
export function peakConcurrency(timeline: TimelineSnapshot): number {
  const edges: Array<[number, number]> = [];
  for (const id of timeline.laneOrder) {
    for (const span of mergedBusyIntervals(timeline.lanes[id]?.spans ?? [], timeline.endMs ?? 0)) {
      edges.push([span[0], 1], [span[1], -1]);
    }
  }
  // At the same instant an ending comes before a beginning: back-to-back work is not concurrent.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let busy = 0;
  let peak = 0;
  for (const [, change] of edges) {
    busy += change;
    peak = Math.max(peak, busy);
  }
  return peak;
}

/** A lane's work (every span but its node span) as disjoint [start, end] intervals. */
function mergedBusyIntervals(spans: readonly TimelineSpan[], openEnd: number): Array<[number, number]> {
  const intervals = spans
    .filter((span) => span.kind !== 'node')
    .map((span): [number, number] => [span.startMs, span.endMs ?? Math.max(openEnd, span.startMs)])
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const interval of intervals) {
    const last = merged.at(-1);
    if (last && interval[0] < last[1]) last[1] = Math.max(last[1], interval[1]);
    else merged.push([...interval]);
  }
  return merged;
}
