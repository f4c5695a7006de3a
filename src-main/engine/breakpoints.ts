import { breakpointProblem, type Breakpoint, type BreakpointKind, type ContinueAction } from '@shared/breakpoints';
import type { RunEvent } from '@shared/run-events';
import type { RunMode } from '@shared/runs';
import type { Workflow } from '@shared/workflow';
import { abortError } from './errors';
import type { RunEventLog } from './event-log';

/** How a human let a paused point go on; `edited` replaces its pending value when present. */
export interface BreakpointResumption {
  action: ContinueAction;
  edited?: unknown;
}

/** One place a run may pause: before a node, a loop's iteration, or a tool call. */
export interface PausePoint {
  kind: BreakpointKind;
  nodeId: string;
  scope: string;
  /** Stable across passes (the journal makes a resumed pass meet the same points), so decisions are found again. */
  key: string;
  iteration?: number;
  tool?: { id: string; name: string };
  pending: unknown;
}

/** What earlier passes of a run recorded: decisions by key, and hits nobody answered (still pending). */
export interface RecordedBreakpoints {
  resumptions: Map<string, BreakpointResumption>;
  unanswered: Set<string>;
}

export function recordedBreakpoints(events: readonly RunEvent[], into?: RecordedBreakpoints): RecordedBreakpoints {
  const recorded = into ?? { resumptions: new Map(), unanswered: new Set() };
  for (const event of events) {
    if (event.type === 'breakpoint.hit') recorded.unanswered.add(event.data.key);
    else if (event.type === 'breakpoint.resumed') {
      recorded.unanswered.delete(event.data.key);
      const { action } = event.data;
      recorded.resumptions.set(
        event.data.key,
        Object.hasOwn(event.data, 'edited') ? { action, edited: event.data.edited } : { action },
      );
    }
  }
  return recorded;
}

/** The breakpoints the run was started with (the first pass records them in `run.started`). */
export function startedBreakpoints(events: readonly RunEvent[]): Breakpoint[] {
  for (const event of events) if (event.type === 'run.started') return event.data.breakpoints ?? [];
  return [];
}

/** Where the engine reaches the point a live pass is paused on, to resume it. */
export interface PausedSlot {
  resume: ((resumption: BreakpointResumption) => void) | null;
}

export interface BreakpointGateDeps {
  log: RunEventLog;
  mode: RunMode;
  breakpoints: readonly Breakpoint[];
  recorded: RecordedBreakpoints;
  slot: PausedSlot;
  /** Marks the run paused (with why) while a point waits, and running again after. */
  setPaused(reason: string | null): void;
}

/**
 * Pauses a run before the points its breakpoints name (and, after a step, before the next one), one at a
 * time: concurrent branches reaching points queue behind the one shown. A point an earlier pass already
 * resumed passes at once with that pass's edit — that is how a restarted app's `continue`, and a replay,
 * run exactly what the user let run. Replays never pause.
 */
export class BreakpointGate {
  /** After a step: pause before the next node ('node'), or the next tool call or node ('tool'). */
  private stepping: 'node' | 'tool' | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private pausedAt: PausePoint | null = null;

  constructor(private readonly deps: BreakpointGateDeps) {}

  /** Whether this pass can pause or re-apply an edit at all; when not, nothing need ask it. */
  get active(): boolean {
    const { breakpoints, recorded } = this.deps;
    return breakpoints.length > 0 || recorded.resumptions.size > 0 || recorded.unanswered.size > 0;
  }

  /** Why the run is paused, while it is (kept when the host stops so the paused run still says so). */
  pausedReason(): string | null {
    return this.pausedAt ? describePoint(this.pausedAt) : null;
  }

  /** Resolves with the value the point goes on with: the pending one, or the user's edit of it. */
  pass(point: PausePoint, signal: AbortSignal): Promise<unknown> {
    const recorded = this.deps.recorded.resumptions.get(point.key);
    if (recorded) {
      this.stepping = recorded.action === 'step' ? (point.kind === 'tool' ? 'tool' : 'node') : null;
      return Promise.resolve(Object.hasOwn(recorded, 'edited') ? recorded.edited : point.pending);
    }
    if (this.deps.mode === 'replay' || !this.cause(point)) return Promise.resolve(point.pending);
    const turn = this.queue.then(() => this.pauseAt(point, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private cause(point: PausePoint): 'breakpoint' | 'step' | null {
    if (this.deps.breakpoints.some((breakpoint) => matches(breakpoint, point))) return 'breakpoint';
    if (this.stepping === 'tool' || (this.stepping === 'node' && point.kind === 'node')) return 'step';
    // Paused there when the last pass ended (`runs resume` instead of `continue`): still paused there.
    if (this.deps.recorded.unanswered.has(point.key)) return 'breakpoint';
    return null;
  }

  private pauseAt(point: PausePoint, signal: AbortSignal): Promise<unknown> {
    if (signal.aborted) return Promise.reject(abortError());
    // Re-checked after queueing: a step another point took may have been answered with `continue`.
    const cause = this.cause(point);
    if (!cause) return Promise.resolve(point.pending);
    const { log, slot } = this.deps;
    this.stepping = null;
    log.append('breakpoint.hit', point.nodeId, {
      key: point.key,
      scope: point.scope,
      kind: point.kind,
      cause,
      ...(point.iteration === undefined ? {} : { iteration: point.iteration }),
      ...(point.tool ? { tool: point.tool } : {}),
      pending: point.pending,
    });
    log.flush();
    this.pausedAt = point;
    this.deps.setPaused(describePoint(point));
    return new Promise<unknown>((resolve, reject) => {
      const settle = () => {
        slot.resume = null;
        signal.removeEventListener('abort', onAbort);
      };
      // Still paused here when the host stops the pass: the run's final state says so (pausedReason).
      const onAbort = () => {
        settle();
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      slot.resume = (resumption) => {
        log.append('breakpoint.resumed', point.nodeId, { key: point.key, scope: point.scope, ...resumption });
        this.deps.recorded.unanswered.delete(point.key);
        this.deps.recorded.resumptions.set(point.key, resumption);
        this.stepping = resumption.action === 'step' ? (point.kind === 'tool' ? 'tool' : 'node') : null;
        settle();
        this.pausedAt = null;
        this.deps.setPaused(null);
        resolve(Object.hasOwn(resumption, 'edited') ? resumption.edited : point.pending);
      };
    });
  }
}

function matches(breakpoint: Breakpoint, point: PausePoint): boolean {
  if (breakpoint.kind !== point.kind) return false;
  switch (breakpoint.kind) {
    case 'node':
      return breakpoint.nodeId === point.nodeId;
    case 'loop':
      return breakpoint.nodeId === point.nodeId && breakpoint.iteration === point.iteration;
    case 'tool':
      // A team's members (`team/member`) are the agents of a team node.
      return point.nodeId === breakpoint.nodeId || point.nodeId.startsWith(`${breakpoint.nodeId}/`);
  }
}

export function describePoint(point: Pick<PausePoint, 'kind' | 'nodeId' | 'iteration' | 'tool'>): string {
  switch (point.kind) {
    case 'node':
      return `paused at a breakpoint before node "${point.nodeId}"`;
    case 'loop':
      return `paused at a breakpoint before iteration ${point.iteration ?? '?'} of loop "${point.nodeId}"`;
    case 'tool':
      return `paused at a breakpoint before "${point.nodeId}" calls ${point.tool?.name ?? 'a tool'}`;
  }
}

/** Why breakpoints cannot apply to the workflow (refused before the run starts), or null. */
export function misplacedBreakpoint(workflow: Workflow, breakpoints: readonly Breakpoint[]): string | null {
  const kinds = new Map(workflow.nodes.map((node) => [node.id, node.kind]));
  for (const breakpoint of breakpoints) {
    const problem = breakpointProblem(kinds, breakpoint);
    if (problem) return problem;
  }
  return null;
}

/** Why an edit cannot replace a pause's pending value (a node's inputs and a tool's arguments are objects), or null. */
export function editProblem(
  pending: { kind: BreakpointKind; nodeId: string | null; tool?: { name: string } },
  edited: unknown,
): string | null {
  if (pending.kind === 'loop' || (typeof edited === 'object' && edited !== null && !Array.isArray(edited))) return null;
  return pending.kind === 'tool'
    ? `the arguments of ${pending.tool?.name ?? 'a tool call'} must be a JSON object`
    : `the input of node "${pending.nodeId ?? ''}" must be a JSON object of its input ports' values`;
}
