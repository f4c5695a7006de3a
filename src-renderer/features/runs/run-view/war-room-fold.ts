import type { Budget } from '@shared/node-kinds';
import { CostFold, type RunCosts } from '@shared/run-costs';
import type { RunEvent } from '@shared/run-events';
import { TimelineFold, type TimelineSnapshot } from '@shared/run-timeline';
import type { Run, RunStatus } from '@shared/runs';
import type { TeamRunView } from '../../builder/run/team-run-view';
import { TranscriptFold, type AgentEntry } from './agent-transcripts';
import { TeamFold } from './team-fold';

/** The status a run ends in, by the event that ends it. */
const STATUS_AT_END = {
  'run.completed': 'completed',
  'run.failed': 'failed',
  'run.cancelled': 'cancelled',
} as const satisfies Record<string, RunStatus>;

/** A node waiting for a human, with what it asks. */
export interface PendingApproval {
  prompt: string;
  payload: unknown;
}

/** Everything the war room draws, as of the last frame. Each part keeps its identity while it does not change. */
export interface WarRoomSnapshot {
  status: RunStatus | null;
  pauseReason: string | null;
  error: string | null;
  lastSeq: number;
  eventCount: number;
  timeline: TimelineSnapshot;
  costs: RunCosts;
  transcripts: Readonly<Record<string, readonly AgentEntry[]>>;
  teams: Readonly<Record<string, TeamRunView>>;
  approvals: Readonly<Record<string, PendingApproval>>;
  /** Each node's inputs when it last started: what a fork from it begins with. */
  nodeInputs: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * The war room's fold of one run: the shared timeline and cost folds, the agents' transcripts and the
 * teams, plus the run's own state. Events are applied as they come (a reconnect's repeats are ignored
 * by seq); `snapshot` is taken once per animation frame.
 */
export class WarRoomFold {
  private readonly timeline = new TimelineFold();
  private readonly costs: CostFold;
  private readonly transcripts = new TranscriptFold();
  private readonly teams = new TeamFold();
  /** Every event, by ascending seq (repeats are dropped): looked up by binary search, not a map of 50,000. */
  private readonly ordered: RunEvent[] = [];
  private status: RunStatus | null;
  private pauseReason: string | null;
  private error: string | null;
  private lastSeq = 0;
  private approvals: Record<string, PendingApproval> = {};
  private nodeInputs: Record<string, Record<string, unknown>> = {};
  private last: WarRoomSnapshot | null = null;

  constructor(run: Pick<Run, 'status' | 'pauseReason' | 'error'> & { budget: Budget }) {
    this.costs = new CostFold(run.budget);
    this.status = run.status;
    this.pauseReason = run.pauseReason;
    this.error = run.error;
  }

  apply(event: RunEvent): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.ordered.push(event);
    this.timeline.apply(event);
    this.costs.apply(event);
    this.transcripts.apply(event);
    this.teams.apply(event);
    this.applyRunState(event);
  }

  /** The event of a seq (a span's details show the events that opened and closed it). */
  eventAt(seq: number): RunEvent | undefined {
    let low = 0;
    let high = this.ordered.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const event = this.ordered[middle] as RunEvent;
      if (event.seq === seq) return event;
      if (event.seq < seq) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** The last `count` events, oldest first (the raw event log). */
  recentEvents(count: number): RunEvent[] {
    return this.ordered.slice(-count);
  }

  /** Takes the run's own record after the stream ended (it may say more than the events, e.g. a pause's reason). */
  settle(run: Pick<Run, 'status' | 'pauseReason' | 'error'>): void {
    this.status = run.status;
    this.pauseReason = run.pauseReason;
    this.error = run.error;
    this.last = null;
  }

  snapshot(): WarRoomSnapshot {
    const timeline = this.timeline.snapshot();
    const costs = this.costs.snapshot();
    const transcripts = this.transcripts.snapshot();
    const teams = this.teams.snapshot();
    const last = this.last;
    if (
      last &&
      last.lastSeq === this.lastSeq &&
      last.timeline === timeline &&
      last.costs === costs &&
      last.transcripts === transcripts &&
      last.teams === teams
    ) {
      return last;
    }
    this.last = {
      status: this.status,
      pauseReason: this.pauseReason,
      error: this.error,
      lastSeq: this.lastSeq,
      eventCount: this.ordered.length,
      timeline,
      costs,
      transcripts,
      teams,
      approvals: this.approvals,
      nodeInputs: this.nodeInputs,
    };
    return this.last;
  }

  private applyRunState(event: RunEvent): void {
    const settle = (nodeId: string | null) => {
      if (nodeId === null || !(nodeId in this.approvals)) return;
      const { [nodeId]: _decided, ...rest } = this.approvals;
      this.approvals = rest;
    };
    switch (event.type) {
      case 'run.started':
      case 'run.resumed':
        this.status = 'running';
        this.pauseReason = null;
        break;
      case 'run.completed':
      case 'run.failed':
      case 'run.cancelled':
        this.status = STATUS_AT_END[event.type];
        if (event.type === 'run.failed') this.error = event.data.error;
        // An ended run waits for no one: its approvals are void.
        this.approvals = {};
        break;
      case 'run.paused':
        this.status = 'paused';
        this.pauseReason = event.data.reason;
        break;
      case 'node.started':
        this.nodeInputs = { ...this.nodeInputs, [event.nodeId ?? '']: event.data.inputs };
        break;
      case 'approval.requested':
        this.status = 'waiting';
        this.approvals = {
          ...this.approvals,
          [event.nodeId ?? '']: { prompt: event.data.prompt, payload: event.data.payload },
        };
        break;
      case 'approval.decided':
        this.status = 'running';
        settle(event.nodeId);
        break;
      case 'node.completed':
      case 'node.failed':
        settle(event.nodeId);
        break;
      default:
        break;
    }
  }
}
