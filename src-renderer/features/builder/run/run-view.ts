import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PendingBreakpoint } from '@shared/breakpoints';
import { eventTimeMs } from '@shared/event-time';
import type { Run, RunStatus } from '@shared/runs';
import type { RunEvent, RunEventData, UnknownRunEvent } from '@shared/run-events';
import {
  applyTeamEvent,
  emptyTeamView,
  isTeamEvent,
  memberNodeId,
  restartTeam,
  withTaskEvent,
  type TeamRunView,
} from './team-run-view';

/**
 * What the canvas shows of one run, folded from its event stream only (the same stream the CLI and
 * replay read). Pure: `applyRunEvent` is unit-tested; the store wraps it for the view.
 */

export type NodeRunStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped';

export type TranscriptEntry =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; name: string; input: unknown }
  | { kind: 'tool-result'; name: string; output: string; isError: boolean }
  | { kind: 'note'; text: string }
  | ({ kind: 'console' } & Omit<RunEventData<'sandbox.executed'>, 'scope'>)
  | ({ kind: 'unreadable' } & UnreadableEvent);

/** An event this version cannot read (a newer War Room's, or data that no longer fits), kept raw. */
export interface UnreadableEvent {
  seq: number;
  rawType: string;
  /** The event's data as JSON text. */
  data: string;
  problem: string;
}

export interface NodeRunView {
  status: NodeRunStatus;
  startedAt: number | null;
  endedAt: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  transcript: TranscriptEntry[];
  outputs: Record<string, unknown> | null;
  error: string | null;
  /** Set while the node waits for a human decision. */
  approval: { prompt: string; payload: unknown } | null;
}

export interface RunViewState {
  runId: string | null;
  status: RunStatus | null;
  /** The highest event seq applied: a reconnect resumes after it, so no event is lost or doubled. */
  lastSeq: number;
  nodes: Record<string, NodeRunView>;
  /**
   * Team members' own views (their transcripts and usage), keyed by the member's node id
   * (`<team node id>/<task id>`): kept apart from `nodes` so a member is never taken for a canvas node.
   */
  members: Record<string, NodeRunView>;
  /** Which team node each member's node id belongs to. */
  teamOfMember: Record<string, string>;
  teams: Record<string, TeamRunView>;
  outputs: Record<string, unknown>;
  error: string | null;
  pauseReason: string | null;
  /** The breakpoint the run is paused at (its pending input or tool call), while it is. */
  breakpoint: PendingBreakpoint | null;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  /** Unreadable events of no node (those of a node are in its transcript). */
  unreadable: UnreadableEvent[];
}

export function emptyNodeView(): NodeRunView {
  return {
    status: 'queued',
    startedAt: null,
    endedAt: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    transcript: [],
    outputs: null,
    error: null,
    approval: null,
  };
}

export function initialRunView(run: Run | null, nodeIds: readonly string[]): RunViewState {
  return {
    runId: run?.id ?? null,
    status: run?.status ?? null,
    lastSeq: 0,
    nodes: Object.fromEntries(nodeIds.map((id) => [id, emptyNodeView()])),
    members: {},
    teamOfMember: {},
    teams: {},
    outputs: run?.outputs ?? {},
    error: run?.error ?? null,
    pauseReason: run?.pauseReason ?? null,
    breakpoint: null,
    usage: run?.usage ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    unreadable: [],
  };
}

function appendText(transcript: TranscriptEntry[], text: string): TranscriptEntry[] {
  const last = transcript.at(-1);
  if (last?.kind === 'text') return [...transcript.slice(0, -1), { kind: 'text', text: last.text + text }];
  return [...transcript, { kind: 'text', text }];
}

function unreadable(event: UnknownRunEvent): UnreadableEvent {
  return {
    seq: event.seq,
    rawType: event.rawType,
    data: JSON.stringify(event.data) ?? 'undefined',
    problem: event.problem,
  };
}

const tokens = (count: number) => `${count} token${count === 1 ? '' : 's'}`;

/** Folds one event into the view. Events at or below `lastSeq` are ignored (a replayed reconnect). */
export function applyRunEvent(state: RunViewState, event: RunEvent): RunViewState {
  if (event.seq <= state.lastSeq) return state;
  const at = eventTimeMs(event.at);
  let next: RunViewState = { ...state, lastSeq: event.seq };
  const team = event.nodeId ? next.teamOfMember[event.nodeId] : undefined;
  const updateNode = (change: (node: NodeRunView) => NodeRunView) => {
    const id = event.nodeId;
    if (!id) return;
    if (team !== undefined) {
      next = { ...next, members: { ...next.members, [id]: change(next.members[id] ?? emptyNodeView()) } };
    } else {
      next = { ...next, nodes: { ...next.nodes, [id]: change(next.nodes[id] ?? emptyNodeView()) } };
    }
  };
  const updateTeam = (teamNodeId: string, change: (view: TeamRunView) => TeamRunView) => {
    next = { ...next, teams: { ...next.teams, [teamNodeId]: change(next.teams[teamNodeId] ?? emptyTeamView()) } };
  };
  const updateEveryTeam = () => {
    for (const teamNodeId of Object.keys(next.teams)) updateTeam(teamNodeId, (view) => withTaskEvent(view, event));
  };
  const append = (entry: TranscriptEntry) =>
    updateNode((node) => ({ ...node, transcript: [...node.transcript, entry] }));
  const note = (text: string) => append({ kind: 'note', text });

  switch (event.type) {
    case 'run.started':
    case 'run.resumed':
      next = { ...next, status: 'running', pauseReason: null };
      break;
    case 'run.completed':
      next = { ...next, status: 'completed', outputs: event.data.outputs, breakpoint: null };
      break;
    case 'run.failed':
      next = { ...next, status: 'failed', error: event.data.error, breakpoint: null };
      updateEveryTeam();
      break;
    case 'run.paused':
      next = { ...next, status: 'paused', pauseReason: event.data.reason };
      break;
    case 'run.cancelled':
      next = { ...next, status: 'cancelled', breakpoint: null };
      updateEveryTeam();
      break;
    case 'node.started':
      updateNode((node) => ({
        ...node,
        status: 'running',
        startedAt: node.status === 'running' ? node.startedAt : at,
        endedAt: null,
        error: null,
      }));
      if (event.nodeId && next.teams[event.nodeId]) updateTeam(event.nodeId, restartTeam);
      break;
    case 'node.completed': {
      const { outputs } = event.data;
      updateNode((node) => ({ ...node, status: 'completed', endedAt: at, approval: null, outputs }));
      break;
    }
    case 'node.failed': {
      const { error } = event.data;
      updateNode((node) => ({ ...node, status: 'failed', endedAt: at, error }));
      break;
    }
    case 'node.skipped':
      updateNode((node) => ({ ...node, status: 'skipped', endedAt: at }));
      break;
    case 'llm.delta': {
      const { text } = event.data;
      updateNode((node) => ({ ...node, transcript: appendText(node.transcript, text) }));
      break;
    }
    case 'llm.usage': {
      const { inputTokens, outputTokens, costUsd } = event.data;
      const addUsage = (node: NodeRunView): NodeRunView => ({
        ...node,
        inputTokens: node.inputTokens + inputTokens,
        outputTokens: node.outputTokens + outputTokens,
        costUsd: node.costUsd + costUsd,
      });
      updateNode(addUsage);
      if (team !== undefined) {
        // A team costs what its members spend: the team node shows their sum.
        next = { ...next, nodes: { ...next.nodes, [team]: addUsage(next.nodes[team] ?? emptyNodeView()) } };
        updateTeam(team, (view) => withTaskEvent(view, event));
      }
      next = {
        ...next,
        usage: {
          inputTokens: next.usage.inputTokens + inputTokens,
          outputTokens: next.usage.outputTokens + outputTokens,
          costUsd: next.usage.costUsd + costUsd,
        },
      };
      break;
    }
    case 'tool.call':
      append({ kind: 'tool-call', name: event.data.name, input: event.data.input });
      break;
    case 'tool.result':
      append({ kind: 'tool-result', name: event.data.name, output: event.data.output, isError: event.data.isError });
      break;
    case 'approval.requested': {
      const approval = { prompt: event.data.prompt, payload: event.data.payload };
      next = { ...next, status: 'waiting' };
      updateNode((node) => ({ ...node, status: 'waiting', approval }));
      break;
    }
    case 'approval.decided': {
      const reason = event.data.decision === 'reject' && event.data.reason ? ` (${event.data.reason})` : '';
      next = { ...next, status: 'running' };
      updateNode((node) => ({ ...node, status: 'running', approval: null }));
      note(`Decision: ${event.data.decision}${reason}`);
      break;
    }
    case 'breakpoint.hit': {
      const breakpoint = { ...event.data, nodeId: event.nodeId, seq: event.seq };
      next = { ...next, status: 'paused', pauseReason: 'paused at a breakpoint', breakpoint };
      note(
        event.data.kind === 'tool'
          ? `Paused before calling ${event.data.tool?.name ?? 'a tool'}`
          : 'Paused at a breakpoint',
      );
      break;
    }
    case 'breakpoint.resumed': {
      const edited = Object.hasOwn(event.data, 'edited');
      next = {
        ...next,
        status: 'running',
        pauseReason: null,
        breakpoint: next.breakpoint?.key === event.data.key ? null : next.breakpoint,
      };
      note(`${event.data.action === 'step' ? 'Stepped' : 'Continued'}${edited ? ' with an edited value' : ''}`);
      break;
    }
    case 'condition.decided':
      note(`Decided: ${event.data.result}${event.data.reason ? ` (${event.data.reason})` : ''}`);
      break;
    case 'budget.exceeded': {
      const { scope, spent } = event.data;
      note(`Budget reached (${scope}): $${spent.usd.toFixed(4)} and ${tokens(spent.tokens)} spent`);
      break;
    }
    case 'memory.injected':
      note(`Memory: ${event.data.memories.length} item(s) added to the prompt (${event.data.tokens} tokens)`);
      break;
    case 'memory.synthesized':
      note(`Memory: ${event.data.memories.length} item(s) written to ${event.data.namespace}`);
      break;
    case 'memory.failed':
      note(`Memory ${event.data.step} failed: ${event.data.error}`);
      break;
    case 'loop.guard':
      note(`Loop guard: ${event.data.tool} called ${event.data.count} times with the same input`);
      break;
    case 'loop.iteration':
      note(`Iteration ${event.data.iteration}${event.data.exit ? ` ended (${event.data.exit})` : ''}`);
      break;
    case 'llm.started':
    case 'sandbox.started':
    case 'sandbox.output':
      // Spans and the streaming console of the war room; the canvas shows the finished console below.
      break;
    case 'llm.retry':
      // Counted by the Dashboard's model error rates; the call's answer (or failure) is what the node shows.
      break;
    case 'sandbox.executed': {
      const { scope: _scope, ...run } = event.data;
      append({ kind: 'console', ...run });
      break;
    }
    case 'team.task.created':
      note(`Task ${event.data.taskId} for ${event.data.role}: ${event.data.task}`);
      break;
    case 'team.task.started':
      note(`Task ${event.data.taskId} started`);
      break;
    case 'team.task.completed':
      note(`Task ${event.data.taskId} done: ${event.data.result}`);
      break;
    case 'team.task.failed':
      note(`Task ${event.data.taskId} failed: ${event.data.error}`);
      break;
    case 'team.message.posted':
      note(`Round ${event.data.round}, ${event.data.from} → ${event.data.to}: ${event.data.text}`);
      break;
    case 'team.member.agreed':
      note(`Round ${event.data.round}: ${event.data.member} agrees (${event.data.reason})`);
      break;
    case 'team.round.completed':
      note(`Round ${event.data.round} ${event.data.agreed ? 'reached agreement' : 'ended without agreement'}`);
      break;
    case 'team.vote.cast':
      note(`${event.data.voter} votes: ${event.data.answer}`);
      break;
    case 'team.vote.abstained':
      note(`${event.data.voter} abstains: ${event.data.reason}`);
      break;
    case 'team.vote.decided': {
      const { method, winner, reason } = event.data;
      note(`Vote (${method}): ${winner ?? 'no winner'}${reason ? ` (${reason})` : ''}`);
      break;
    }
    case 'team.scratchpad.set':
      note(`Scratchpad "${event.data.key}" set by ${event.data.by}`);
      break;
    case 'unknown':
      if (event.nodeId) append({ kind: 'unreadable', ...unreadable(event) });
      else next = { ...next, unreadable: [...next.unreadable, unreadable(event)] };
      break;
    default:
      // Every type of the union is handled above: one added later fails to compile here.
      event satisfies never;
  }
  if (isTeamEvent(event) && event.nodeId) {
    const teamNodeId = event.nodeId;
    if (event.type === 'team.task.created') {
      const member = memberNodeId(teamNodeId, event.data.taskId);
      next = { ...next, teamOfMember: { ...next.teamOfMember, [member]: teamNodeId } };
    }
    updateTeam(teamNodeId, (view) => applyTeamEvent(view, event));
  }
  return next;
}

export type RunViewStore = StoreApi<
  RunViewState & { reset(run: Run | null, nodeIds: readonly string[]): void; apply(events: RunEvent[]): void }
>;

export function createRunViewStore(): RunViewStore {
  return createStore<
    RunViewState & { reset(run: Run | null, nodeIds: readonly string[]): void; apply(events: RunEvent[]): void }
  >()((set, get) => ({
    ...initialRunView(null, []),
    reset(run, nodeIds) {
      set(initialRunView(run, nodeIds));
    },
    apply(events) {
      let state: RunViewState = get();
      for (const event of events) state = applyRunEvent(state, event);
      set(state);
    },
  }));
}
