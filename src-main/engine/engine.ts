import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pendingBreakpoint, type Breakpoint, type ContinueAction } from '@shared/breakpoints';
import { BudgetSchema, type Budget } from '@shared/node-kinds';
import type { NewRunEvent, RunEvent, RunEventOf } from '@shared/run-events';
import {
  TERMINAL_RUN_STATUSES,
  type ApprovalDecision,
  RunSchema,
  type Run,
  type RunMode,
  type RunStatus,
  type Usage,
} from '@shared/runs';
import { validate, type ValidationProblem, type Workflow, type WorkflowNode } from '@shared/workflow';
import type { LlmProvider } from '../llm/port';
import type { McpToolSource } from '../mcp/port';
import type { MemoryStore } from '../memory/port';
import type { SandboxRunner } from '../sandbox/port';
import { NO_REDACTION, type Redactor } from '../privacy/port';
import type { AuditRecorder, RunRecord, RunStore } from '../store/port';
import { abortError, RunNotFoundError, RunStateError } from './errors';
import { RunEventLog } from './event-log';
import { RunEventTail } from './event-tail';
import { RunEventStream } from './run-event-stream';
import type { RolePreset } from './node-kind';
import { createDefaultNodeRegistry, type NodeRegistry } from './nodes/registry';
import { RunPass } from './pass';
import { editProblem, misplacedBreakpoint, type BreakpointResumption, type PausedSlot } from './breakpoints';
import { ownedElsewhere } from './run-owner';

export interface RunEngineDeps {
  store: RunStore;
  /** Resolved per run, so a changed key or model in settings applies to the next run. */
  llm: () => LlmProvider;
  defaultModel: () => string;
  maxConcurrency: () => number;
  defaultBudget: () => Budget;
  sandbox?: SandboxRunner | null;
  memory?: MemoryStore | null;
  mcp?: McpToolSource | null;
  /** Where agents' actions on the machine and people's approval decisions are recorded (the audit log). */
  audit?: AuditRecorder | null;
  /** Keeps secrets out of what runs send and record (none: nothing is redacted, as in most engine tests). */
  redactor?: Redactor;
  /** `privacy.redactToModel`, read per run (default on). */
  redactToModel?: () => boolean;
  /** Whether a finished run is summarised into project memory (`memory.synthesizeAfterRuns`; default on). */
  synthesizeAfterRuns?: () => boolean;
  roles?: ReadonlyMap<string, RolePreset>;
  loadWorkflow?: (id: string) => Workflow;
  registry?: NodeRegistry;
  now?: () => Date;
  newId?: () => string;
  onBackgroundError?: (error: unknown) => void;
}

export class InvalidRunWorkflowError extends Error {
  constructor(readonly problems: ValidationProblem[]) {
    super(`the workflow cannot run: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`);
    this.name = 'InvalidRunWorkflowError';
  }
}

export interface StartRunOptions {
  workflow: Workflow;
  projectDir: string;
  inputs?: Record<string, unknown>;
  budget?: Budget;
  /** Where to pause (debugging). Only a new run takes them; replays and forks never pause. */
  breakpoints?: readonly Breakpoint[];
}

interface LiveRun {
  controller: AbortController;
  /** Settles when the pass has written the run's final state. */
  settled: Promise<void>;
  approvals: Map<string, (decision: ApprovalDecision) => void>;
  /** The breakpoint the pass is paused on, if any. */
  paused: PausedSlot;
  /** What this pass appended, for followers in this process. */
  tail: RunEventTail;
}

/** Nodes' configs as validation parsed them (defaults applied), by node. */
type ParsedConfigs = WeakMap<WorkflowNode, unknown>;

const EMPTY_USAGE: Usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

/**
 * The engine's public API: starts, resumes, replays, forks, cancels, approves and watches runs. Each
 * execution is a pass (pass.ts) of the graph scheduler over the workflow; everything a pass learns is
 * persisted (events, journal), so a later pass — after a crash, a budget pause or an approval — picks up
 * where the last one stopped.
 */
export class RunEngine {
  private readonly live = new Map<string, LiveRun>();
  private closing = false;
  private readonly stream: RunEventStream;
  private readonly registry: NodeRegistry;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: RunEngineDeps) {
    this.registry = deps.registry ?? createDefaultNodeRegistry();
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => `run_${randomUUID()}`);
    this.stream = new RunEventStream({
      store: deps.store,
      liveTail: (runId) => this.live.get(runId)?.tail,
      status: (runId) => this.requireStatus(runId),
    });
  }

  start(options: StartRunOptions): Run {
    const configs = this.assertRunnable(options.workflow);
    const breakpoints = options.breakpoints ?? [];
    const misplaced = misplacedBreakpoint(options.workflow, breakpoints);
    if (misplaced) throw new RunStateError(misplaced);
    const record = this.createRecord({
      workflow: options.workflow,
      // Absolute, so the project's memory namespace (its directory's name) is the same from any cwd.
      projectDir: path.resolve(options.projectDir),
      inputs: options.inputs ?? {},
      budget: options.budget ?? this.deps.defaultBudget(),
      mode: 'normal',
      sourceRunId: null,
      fork: null,
    });
    this.launch(record, 'run.started', configs, breakpoints);
    return toRun(record);
  }

  /**
   * Lets a run paused at a breakpoint go on (`step`: pause again before the next node or tool call), with
   * `input` in place of the pending input or tool arguments when given. A run paused here resumes in its
   * pass; one whose pass ended (the app restarted) gets the decision recorded and resumes from its journal.
   */
  continue(runId: string, action: ContinueAction, input?: unknown): Run {
    const status = this.requireStatus(runId);
    const pending = pendingBreakpoint(this.deps.store.readEvents(runId, 0, Number.MAX_SAFE_INTEGER));
    if (!pending || TERMINAL_RUN_STATUSES.includes(status)) {
      throw new RunStateError(`run ${runId} is not paused at a breakpoint`);
    }
    const misfit = input === undefined ? null : editProblem(pending, input);
    if (misfit) throw new RunStateError(misfit);
    const resumption: BreakpointResumption = input === undefined ? { action } : { action, edited: input };
    const live = this.live.get(runId);
    if (live) {
      if (!live.paused.resume) throw new RunStateError(`run ${runId} is not paused at a breakpoint`);
      live.paused.resume(resumption);
      return this.get(runId);
    }
    const owner = this.deps.store.getRun(runId)?.ownerPid;
    if (ownedElsewhere(owner)) {
      throw new RunStateError(`run ${runId} is paused in process ${owner}; continue it there or stop that process`);
    }
    this.appendDirect(runId, {
      type: 'breakpoint.resumed',
      nodeId: pending.nodeId,
      data: { key: pending.key, scope: pending.scope, ...resumption },
    });
    return this.resume(runId);
  }

  /** Continues a paused, waiting, failed or interrupted (the host died) run; completed work is not redone. */
  resume(runId: string, budget?: Budget): Run {
    const record = this.require(runId);
    if (this.live.has(runId)) throw new RunStateError(`run ${runId} is already running`);
    if (record.status === 'completed' || record.status === 'cancelled') {
      throw new RunStateError(`run ${runId} is ${record.status}; replay or fork it instead`);
    }
    const owner = record.ownerPid;
    if ((record.status === 'running' || record.status === 'waiting') && ownedElsewhere(owner)) {
      throw new RunStateError(
        `run ${runId} is being executed by process ${owner}; resume it there or stop that process`,
      );
    }
    if (budget) this.deps.store.updateRun(runId, { budget: BudgetSchema.parse(budget) }, this.stamp());
    this.launch(this.require(runId), 'run.resumed');
    return this.get(runId);
  }

  /** Runs a finished run again from its journal alone: zero model calls, zero tool side effects. */
  replay(runId: string): Run {
    const source = this.require(runId);
    const record = this.createRecord({
      workflow: source.workflow,
      projectDir: source.projectDir,
      inputs: source.inputs,
      budget: {},
      mode: 'replay',
      sourceRunId: source.id,
      fork: null,
    });
    this.launch(record, 'run.started');
    return toRun(record);
  }

  /** Re-runs from one node with an edited input, re-using everything upstream of it from the source run. */
  fork(runId: string, nodeId: string, input: unknown): Run {
    const source = this.require(runId);
    const node = source.workflow.nodes.find((candidate) => candidate.id === nodeId);
    if (!node) throw new RunStateError(`run ${runId}'s workflow has no node "${nodeId}"`);
    const inputs = node.kind === 'input' ? { ...source.inputs, [String(node.config.name)]: input } : source.inputs;
    const record = this.createRecord({
      workflow: source.workflow,
      projectDir: source.projectDir,
      inputs,
      budget: source.budget,
      mode: 'fork',
      sourceRunId: source.id,
      fork: node.kind === 'input' ? { nodeId, input: undefined } : { nodeId, input },
    });
    this.launch(record, 'run.started');
    return toRun(record);
  }

  cancel(runId: string): Run {
    const status = this.requireStatus(runId);
    const live = this.live.get(runId);
    if (live) {
      live.controller.abort(abortError());
    } else if (!TERMINAL_RUN_STATUSES.includes(status)) {
      this.appendDirect(runId, { type: 'run.cancelled', nodeId: null, data: {} });
      this.deps.store.updateRun(runId, { status: 'cancelled', pauseReason: null }, this.stamp());
    }
    return this.get(runId);
  }

  approve(runId: string, nodeId: string, decision: ApprovalDecision): Run {
    const status = this.requireStatus(runId);
    const live = this.live.get(runId);
    const waiting = live?.approvals.get(nodeId);
    if (waiting) {
      waiting(decision);
      this.auditDecision(runId, nodeId, decision);
      return this.get(runId);
    }
    const events = this.deps.store.readEvents(runId, 0);
    let requested: RunEventOf<'approval.requested'> | undefined;
    const decided = new Set<string>();
    for (const event of events) {
      if (event.type === 'approval.requested' && event.nodeId === nodeId) requested = event;
      else if (event.type === 'approval.decided') decided.add(event.data.scope);
    }
    if (!requested || decided.has(requested.data.scope) || live || TERMINAL_RUN_STATUSES.includes(status)) {
      throw new RunStateError(`node "${nodeId}" of run ${runId} is not waiting for approval`);
    }
    this.appendDirect(runId, {
      type: 'approval.decided',
      nodeId,
      data: { scope: requested.data.scope, ...decision },
    });
    this.auditDecision(runId, nodeId, decision);
    return this.resume(runId);
  }

  private auditDecision(runId: string, nodeId: string, decision: ApprovalDecision): void {
    const audit = this.deps.audit;
    audit?.record({
      kind: 'approval.decided',
      runId,
      nodeId,
      actor: audit.humanActor,
      details: { decision: decision.decision },
    });
  }

  /** The run without its workflow (reading that is the costly part of a stored run). */
  get(runId: string): Run {
    const run = this.deps.store.getRunSummary(runId);
    if (!run) throw new RunNotFoundError(runId);
    return RunSchema.parse(run);
  }

  list(limit = 50): Run[] {
    return this.deps.store.listRuns(limit).map((run) => RunSchema.parse(run));
  }

  /** Every event the run has so far. */
  eventsSoFar(runId: string): RunEvent[] {
    this.requireStatus(runId);
    return this.deps.store.readEvents(runId, 0, Number.MAX_SAFE_INTEGER);
  }

  /** Up to `limit` stored events after `afterSeq`: a long run's history in a few pages instead of one message per event. */
  eventPage(runId: string, afterSeq: number, limit: number): RunEvent[] {
    this.requireStatus(runId);
    return this.deps.store.readEvents(runId, afterSeq, limit);
  }

  /** Resolves when the run's current pass ends (at once when nothing is executing it here). */
  async wait(runId: string): Promise<Run> {
    const live = this.live.get(runId);
    if (live) await live.settled;
    return this.get(runId);
  }

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  /**
   * The run's events after `afterSeq`; with `follow`, keeps waiting for new ones until the run reaches a
   * final state (see RunEventStream).
   */
  async *events(
    runId: string,
    afterSeq = 0,
    options: { follow?: boolean; signal?: AbortSignal } = {},
  ): AsyncGenerator<RunEvent> {
    this.requireStatus(runId);
    yield* this.stream.events(runId, afterSeq, options);
  }

  /**
   * Stops every run executing in this process because the host is going away; those runs are left
   * paused (resumable), not cancelled. Await it to know their state is written.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    const settling = [...this.live.values()].map((live) => live.settled);
    for (const live of this.live.values()) live.controller.abort(abortError('War Room is shutting down'));
    await Promise.all(settling);
  }

  /** Like shutdown(), without waiting (the database may close right after). */
  close(): void {
    void this.shutdown();
  }

  /** Validates a workflow to run; returns its nodes' parsed configs, so the pass does not parse them again. */
  private assertRunnable(workflow: Workflow, configs: ParsedConfigs = new WeakMap()): ParsedConfigs {
    const result = validate(workflow, undefined, configs);
    if (!result.ok) throw new InvalidRunWorkflowError(result.errors);
    return configs;
  }

  private createRecord(fields: {
    workflow: Workflow;
    projectDir: string;
    inputs: Record<string, unknown>;
    budget: Budget;
    mode: RunMode;
    sourceRunId: string | null;
    fork: RunRecord['fork'];
  }): RunRecord {
    const stamp = this.stamp();
    const record: RunRecord = {
      id: this.newId(),
      workflowId: fields.workflow.id,
      workflowName: fields.workflow.name,
      status: 'running',
      mode: fields.mode,
      sourceRunId: fields.sourceRunId,
      projectDir: fields.projectDir,
      inputs: fields.inputs,
      outputs: {},
      error: null,
      pauseReason: null,
      budget: fields.budget,
      usage: EMPTY_USAGE,
      createdAt: stamp,
      updatedAt: stamp,
      workflow: fields.workflow,
      fork: fields.fork,
      // launch() executes it in this process right away.
      ownerPid: process.pid,
    };
    this.deps.store.createRun(record);
    return record;
  }

  private launch(
    record: RunRecord,
    firstEvent: 'run.started' | 'run.resumed',
    configs: ParsedConfigs = new WeakMap(),
    breakpoints?: readonly Breakpoint[],
  ): void {
    const live: LiveRun = {
      controller: new AbortController(),
      approvals: new Map(),
      paused: { resume: null },
      settled: Promise.resolve(),
      tail: new RunEventTail(),
    };
    this.live.set(record.id, live);
    live.settled = this.executePass(record, firstEvent, live, configs, breakpoints)
      .catch((error: unknown) => {
        // Only the store can fail here (e.g. the database closed while the host shut down); the run
        // stays "running" in the database and can be resumed.
        this.deps.onBackgroundError?.(error);
      })
      .finally(() => {
        this.live.delete(record.id);
        this.stream.notify(record.id);
      });
  }

  private async executePass(
    record: RunRecord,
    firstEvent: 'run.started' | 'run.resumed',
    live: LiveRun,
    configs: ParsedConfigs,
    breakpoints: readonly Breakpoint[] | undefined,
  ): Promise<void> {
    const { deps } = this;
    const redactor = deps.redactor ?? NO_REDACTION;
    const log = new RunEventLog(
      deps.store,
      record.id,
      this.now,
      (events) => {
        live.tail.push(events);
        this.stream.notify(record.id);
      },
      // Nothing more of the run could be recorded: stop its nodes; the pass records why it failed.
      (error) => live.controller.abort(error),
      deps.redactor ? (text) => redactor.redactKnown(text) : null,
    );
    // A new run was created running and owned by this process; only a resumed one changes state here.
    if (firstEvent === 'run.resumed') {
      deps.store.updateRun(
        record.id,
        { status: 'running', pauseReason: null, error: null, ownerPid: process.pid },
        this.stamp(),
      );
    }
    const pass = new RunPass(record, {
      store: deps.store,
      log,
      registry: this.registry,
      llm: deps.llm(),
      defaultModel: deps.defaultModel(),
      maxConcurrency: deps.maxConcurrency(),
      roles: deps.roles ?? new Map(),
      sandbox: deps.sandbox ?? null,
      memory: deps.memory ?? null,
      mcp: deps.mcp ?? null,
      audit: deps.audit ?? null,
      redactor,
      redactToModel: deps.redactToModel?.() ?? true,
      synthesizeAfterRuns: deps.synthesizeAfterRuns?.() ?? true,
      waitingApprovals: live.approvals,
      pausedSlot: live.paused,
      ...(breakpoints ? { breakpoints } : {}),
      setStatus: (patch) => {
        deps.store.updateRun(record.id, patch, this.stamp());
        this.stream.notify(record.id);
      },
      parsedConfigs: configs,
      loadWorkflow: (id) => this.loadWorkflow(id, configs),
      now: this.now,
      isShuttingDown: () => this.closing,
    });
    await pass.execute(firstEvent, live.controller.signal);
  }

  private loadWorkflow(id: string, configs: ParsedConfigs): Workflow {
    if (!this.deps.loadWorkflow) throw new Error('subworkflows are not available here');
    const workflow = this.deps.loadWorkflow(id);
    this.assertRunnable(workflow, configs);
    return workflow;
  }

  /** Appends an event for a run no pass executes (cancelling or approving it from outside). */
  private appendDirect(runId: string, event: NewRunEvent): void {
    this.deps.store.appendEvents(runId, [event], this.stamp());
    this.stream.notify(runId);
  }

  /** The run's status without reading its record (which holds the whole workflow). */
  private requireStatus(runId: string): RunStatus {
    const status = this.deps.store.getRunStatus(runId);
    if (!status) throw new RunNotFoundError(runId);
    return status;
  }

  private require(runId: string): RunRecord {
    const record = this.deps.store.getRun(runId);
    if (!record) throw new RunNotFoundError(runId);
    return record;
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}

function toRun(record: RunRecord): Run {
  return RunSchema.parse(record);
}
