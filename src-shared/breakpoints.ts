import { z } from 'zod';

/**
 * Debugging a run: where it should pause (breakpoints, saved with a workflow as editor state and given to
 * a run when it starts), what it is paused on (a `breakpoint.hit` event), and how a human lets it go on
 * (`runs.continue`). The pending state lives in the event stream, so a restarted app still shows it.
 */

const NodeId = z.string().min(1).max(128);

export const BreakpointSchema = z.discriminatedUnion('kind', [
  /** Pause before the node runs, with its input. */
  z.object({ kind: z.literal('node'), nodeId: NodeId }),
  /** Pause before a loop's body runs for the `iteration`-th time, with the value going round. */
  z.object({ kind: z.literal('loop'), nodeId: NodeId, iteration: z.int().min(1).max(1_000_000) }),
  /** Pause before each tool call of an agent (or of a team's members), with the call's arguments. */
  z.object({ kind: z.literal('tool'), nodeId: NodeId }),
]);
export type Breakpoint = z.infer<typeof BreakpointSchema>;
export type BreakpointKind = Breakpoint['kind'];

export const BreakpointListSchema = z.array(BreakpointSchema).max(1000);

/** `step` lets the pending node (or tool call) run, then pauses before the next one. */
export const ContinueActionSchema = z.enum(['continue', 'step']);
export type ContinueAction = z.infer<typeof ContinueActionSchema>;

/** A breakpoint's identity: a workflow holds at most one breakpoint per kind and node. */
export function sameBreakpoint(a: Breakpoint, b: Pick<Breakpoint, 'kind' | 'nodeId'>): boolean {
  return a.kind === b.kind && a.nodeId === b.nodeId;
}

/** The list with `breakpoint` added, or removed when the node already has one of its kind. */
export function toggleBreakpoint(list: readonly Breakpoint[], breakpoint: Breakpoint): Breakpoint[] {
  return list.some((existing) => sameBreakpoint(existing, breakpoint))
    ? list.filter((existing) => !sameBreakpoint(existing, breakpoint))
    : [...list, breakpoint];
}

/**
 * Why a breakpoint cannot apply to a workflow whose nodes have these kinds (by id), or null when it can:
 * it must name a node, a loop breakpoint a loop, a tool breakpoint an agent or a team.
 */
export function breakpointProblem(kindsById: ReadonlyMap<string, string>, breakpoint: Breakpoint): string | null {
  const kind = kindsById.get(breakpoint.nodeId);
  if (kind === undefined) return `a breakpoint names node "${breakpoint.nodeId}", which the workflow does not have`;
  if (breakpoint.kind === 'loop' && kind !== 'loop')
    return `node "${breakpoint.nodeId}" is a ${kind} node, not a loop: it has no iterations to pause at`;
  if (breakpoint.kind === 'tool' && kind !== 'agent' && kind !== 'team')
    return `node "${breakpoint.nodeId}" is a ${kind} node: only agents and teams call tools`;
  return null;
}

/** What a paused run waits on: the last `breakpoint.hit` no `breakpoint.resumed` answered yet. */
export interface PendingBreakpoint {
  key: string;
  nodeId: string | null;
  scope: string;
  kind: BreakpointKind;
  cause: 'breakpoint' | 'step';
  iteration?: number;
  tool?: { id: string; name: string };
  pending: unknown;
  seq: number;
}

type EventLike = { type: string; seq: number; nodeId: string | null; data: unknown };

/**
 * The breakpoint a run is paused on, from its events (null when it is not paused at one). Pure, so the
 * engine, the CLI and the run view read the paused state the same way.
 */
export function pendingBreakpoint(events: Iterable<EventLike>): PendingBreakpoint | null {
  const open = new Map<string, PendingBreakpoint>();
  for (const event of events) {
    if (event.type === 'breakpoint.hit') {
      const data = event.data as Omit<PendingBreakpoint, 'seq' | 'nodeId'>;
      open.set(data.key, { ...data, nodeId: event.nodeId, seq: event.seq });
    } else if (event.type === 'breakpoint.resumed') {
      open.delete((event.data as { key: string }).key);
    } else if (event.type === 'run.completed' || event.type === 'run.failed' || event.type === 'run.cancelled') {
      open.clear();
    }
  }
  let last: PendingBreakpoint | null = null;
  for (const hit of open.values()) if (!last || hit.seq > last.seq) last = hit;
  return last;
}
