import { hash, randomUUID } from 'node:crypto';
import { BudgetSchema, type Budget, type FailurePolicy } from '@shared/node-kinds';
import { TERMINAL_RUN_STATUSES, type ApprovalDecision, RunSchema, type Run, type RunMode, type Usage } from '@shared/runs';
import { type RunEvent } from '@shared/run-events';
import { validate, type ValidationProblem, type Workflow, type WorkflowNode } from '@shared/workflow';
import type { LlmProvider, LlmRequest, LlmUsage } from '../llm/port';
import {
  buildMemoryContext,
  defaultNamespace,
  GLOBAL_NAMESPACE,
  synthesizeRun,
  type InjectedMemory,
  type MemoryKind,
  type MemoryModel,
  type MemoryStore,
  type MemoryStoreResult,
} from '../memory/port';
import type { SandboxRunner } from '../sandbox/port';
import type { RunPatch, RunRecord, RunStore } from '../store/port';
import { BudgetExceededError, ReplayDivergedError, RunNotFoundError, RunStateError, describeError } from './errors';
import { RunEventLog } from './event-log';
import type { NodeContext, NodeOutputs, RolePreset } from './node-kind';
import { createDefaultNodeRegistry, type NodeRegistry } from './nodes/registry';
import { digestRun } from './run-digest';
import { GraphScheduler, type SchedulerOutcome } from './scheduler';

export interface RunEngineDeps {
  store: RunStore;
  /** Resolved per run, so a changed key or model in settings applies to the next run. */
  llm: () => LlmProvider;
  defaultModel: () => string;
  maxConcurrency: () => number;
  defaultBudget: () => Budget;
  sandbox?: SandboxRunner | null;
  memory?: MemoryStore | null;
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
}

interface LiveRun {
  controller: AbortController;
  settled: Promise<RunRecord>;
  approvals: Map<string, (decision: ApprovalDecision) => void>;
}

const MAX_SUBWORKFLOW_DEPTH = 8;
const EMPTY_USAGE: Usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
const NO_LLM_USAGE: LlmUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

type JournalKind = 'llm' | 'tool' | 'memory';

/** What a journaled memory look-up gave an agent: the prompt text and the items in it, or why it failed. */
type RecalledMemories = { text: string; tokens: number; injected: InjectedMemory[] } | { error: string };

/** What a journaled synthesis stored (or why it failed), with the model usage it cost. */
type SynthesisResult = (
  { stored: Array<{ id: string; kind: MemoryKind; outcome: MemoryStoreResult['outcome'] }> } | { error: string }
) & { usage: LlmUsage; costUsd: number; model: string | null };

/**
 * Starts, resumes, replays, forks, cancels and watches runs. Each execution is a pass of the graph
 * scheduler over the workflow; everything a pass learns is persisted (events, journal), so a later
 * pass — after a crash, a budget pause or an approval — picks up where the last one stopped.
 */
export class RunEngine {
  private readonly live = new Map<string, LiveRun>();
  private closing = false;
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly registry: NodeRegistry;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: RunEngineDeps) {
    this.registry = deps.registry ?? createDefaultNodeRegistry();
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => `run_${randomUUID()}`);
  }

  start(options: StartRunOptions): Run {
    this.assertRunnable(options.workflow);
    const record = this.createRecord({
      workflow: options.workflow,
      projectDir: options.projectDir,
      inputs: options.inputs ?? {},
      budget: options.budget ?? this.deps.defaultBudget(),
      mode: 'normal',
      sourceRunId: null,
      fork: null,
    });
    this.launch(record, 'run.started');
    return toRun(record);
  }

  /** Continues a paused, waiting, failed or interrupted (the host died) run; completed work is not redone. */
  resume(runId: string, budget?: Budget): Run {
    const record = this.require(runId);
    if (this.live.has(runId)) throw new RunStateError(`run ${runId} is already running`);
    if (record.status === 'completed' || record.status === 'cancelled') {
      throw new RunStateError(`run ${runId} is ${record.status}; replay or fork it instead`);
    }
    const owner = record.ownerPid;
    if (
      (record.status === 'running' || record.status === 'waiting') &&
      owner &&
      owner !== process.pid &&
      isAlive(owner)
    ) {
      throw new RunStateError(
        `run ${runId} is being executed by process ${owner}; resume it there or stop that process`,
      );
    }
    if (budget) this.deps.store.updateRun(runId, { budget: BudgetSchema.parse(budget) }, this.stamp());
    this.launch(this.require(runId), 'run.resumed');
    return toRun(this.require(runId));
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
    const record = this.require(runId);
    const live = this.live.get(runId);
    if (live) {
      const reason = new Error('the run was cancelled');
      reason.name = 'AbortError';
      live.controller.abort(reason);
    } else if (!TERMINAL_RUN_STATUSES.includes(record.status)) {
      this.appendDirect(runId, 'run.cancelled', null, {});
      this.deps.store.updateRun(runId, { status: 'cancelled', pauseReason: null }, this.stamp());
    }
    return toRun(this.require(runId));
  }

  approve(runId: string, nodeId: string, decision: ApprovalDecision): Run {
    const record = this.require(runId);
    const live = this.live.get(runId);
    const waiting = live?.approvals.get(nodeId);
    if (waiting) {
      waiting(decision);
      return toRun(this.require(runId));
    }
    const events = this.deps.store.readEvents(runId, 0);
    const requested = events.filter((event) => event.type === 'approval.requested' && event.nodeId === nodeId).at(-1);
    const decided = new Set(
      events.filter((event) => event.type === 'approval.decided').map((event) => event.data.scope),
    );
    if (!requested || decided.has(requested.data.scope) || live || TERMINAL_RUN_STATUSES.includes(record.status)) {
      throw new RunStateError(`node "${nodeId}" of run ${runId} is not waiting for approval`);
    }
    this.appendDirect(runId, 'approval.decided', nodeId, { scope: requested.data.scope, ...decision });
    return this.resume(runId);
  }

  get(runId: string): Run {
    return toRun(this.require(runId));
  }

  getRecord(runId: string): RunRecord {
    return this.require(runId);
  }

  list(limit = 50): Run[] {
    return this.deps.store.listRuns(limit).map(toRun);
  }

  /** Every event the run has so far. */
  eventsSoFar(runId: string): RunEvent[] {
    this.require(runId);
    return this.deps.store.readEvents(runId, 0, Number.MAX_SAFE_INTEGER);
  }

  /** Resolves when the run's current pass ends (at once when nothing is executing it here). */
  async wait(runId: string): Promise<Run> {
    const live = this.live.get(runId);
    return toRun(live ? await live.settled : this.require(runId));
  }

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  /**
   * The run's events after `afterSeq`; with `follow`, keeps waiting for new ones until the run reaches a
   * final state (also when another process executes it: the database is polled).
   */
  async *events(runId: string, afterSeq = 0, options: { follow?: boolean; signal?: AbortSignal } = {}) {
    this.require(runId);
    let seq = afterSeq;
    for (;;) {
      const batch = this.deps.store.readEvents(runId, seq, 500);
      for (const event of batch) {
        seq = event.seq;
        yield event;
      }
      if (batch.length === 500) continue;
      if (!options.follow) return;
      const status = this.require(runId).status;
      if (TERMINAL_RUN_STATUSES.includes(status) && !this.live.has(runId)) {
        const rest = this.deps.store.readEvents(runId, seq, 100_000);
        for (const event of rest) yield event;
        return;
      }
      if (options.signal?.aborted) return;
      await this.nextChange(runId, 250, options.signal);
    }
  }

  /**
   * Stops every run executing in this process because the host is going away; those runs are left
   * paused (resumable), not cancelled. Await it to know their state is written.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    const settling = [...this.live.values()].map((live) => live.settled);
    for (const live of this.live.values()) live.controller.abort(shutdownReason());
    await Promise.all(settling);
  }

  /** Like shutdown(), without waiting (the database may close right after). */
  close(): void {
    void this.shutdown();
  }

  private nextChange(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const listeners = this.listeners.get(runId) ?? new Set();
      this.listeners.set(runId, listeners);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      listeners.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private notify(runId: string): void {
    for (const listener of [...(this.listeners.get(runId) ?? [])]) listener();
  }

  private assertRunnable(workflow: Workflow): void {
    const result = validate(workflow);
    if (!result.ok) throw new InvalidRunWorkflowError(result.errors);
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

  private launch(record: RunRecord, firstEvent: 'run.started' | 'run.resumed'): void {
    const controller = new AbortController();
    const live: LiveRun = { controller, approvals: new Map(), settled: Promise.resolve(record) };
    this.live.set(record.id, live);
    live.settled = this.executePass(record, firstEvent, live)
      .catch((error: unknown) => {
        // Only the store can fail here (e.g. the database closed while the host shut down); the run
        // stays "running" in the database and can be resumed.
        this.deps.onBackgroundError?.(error);
        return record;
      })
      .finally(() => {
        this.live.delete(record.id);
        this.notify(record.id);
      });
  }

  private async executePass(
    record: RunRecord,
    firstEvent: 'run.started' | 'run.resumed',
    live: LiveRun,
  ): Promise<RunRecord> {
    const log = new RunEventLog(this.deps.store, record.id, this.now, () => this.notify(record.id));
    const pass = new PassState(this, record, log, live, this.deps);
    // A new run was created running and owned by this process; only a resumed one changes state here.
    if (firstEvent === 'run.resumed') {
      this.deps.store.updateRun(
        record.id,
        { status: 'running', pauseReason: null, error: null, ownerPid: process.pid },
        this.stamp(),
      );
    }
    log.append(firstEvent, null, { mode: record.mode, sourceRunId: record.sourceRunId, inputs: record.inputs });
    // Written at once: a journal entry must never exist without the events that say its run began.
    log.flush();
    let outcome: SchedulerOutcome;
    try {
      outcome = await pass.runWorkflow(record.workflow, '', live.controller.signal, 0);
    } catch (error) {
      outcome = { kind: 'failed', error: describeError(error), nodeId: '' };
    }
    if (outcome.kind === 'completed' || outcome.kind === 'failed') {
      await pass.synthesizeMemories(outcome.kind, live.controller.signal);
    }
    const usage = pass.usage();
    let patch: RunPatch;
    switch (outcome.kind) {
      case 'completed':
        log.append('run.completed', null, { outputs: outcome.outputs, usage });
        patch = { status: 'completed', outputs: outcome.outputs, usage };
        break;
      case 'failed':
        log.append('run.failed', outcome.nodeId || null, { error: outcome.error, usage });
        patch = { status: 'failed', error: outcome.error, usage };
        break;
      case 'budget': {
        const { error } = outcome;
        log.append('budget.exceeded', error.nodeId, { scope: error.scope, limit: error.limit, spent: error.spent });
        log.append('run.paused', null, { reason: error.message, usage });
        patch = { status: 'paused', pauseReason: error.message, usage };
        break;
      }
      case 'cancelled':
        if (this.closing) {
          const reason = `War Room stopped during the run; continue it with \`warroom runs resume ${record.id}\``;
          log.append('run.paused', null, { reason, usage });
          patch = { status: 'paused', pauseReason: reason, usage };
        } else {
          log.append('run.cancelled', null, { usage });
          patch = { status: 'cancelled', usage };
        }
        break;
    }
    log.close();
    this.deps.store.updateRun(record.id, { ...patch, ownerPid: null }, this.stamp());
    return this.require(record.id);
  }

  /** Used by a pass for subworkflows. */
  loadWorkflow(id: string): Workflow {
    if (!this.deps.loadWorkflow) throw new Error('subworkflows are not available here');
    const workflow = this.deps.loadWorkflow(id);
    this.assertRunnable(workflow);
    return workflow;
  }

  get nodeRegistry(): NodeRegistry {
    return this.registry;
  }

  setStatus(runId: string, patch: RunPatch): void {
    this.deps.store.updateRun(runId, patch, this.stamp());
    this.notify(runId);
  }

  private appendDirect(
    runId: string,
    type: RunEvent['type'],
    nodeId: string | null,
    data: Record<string, unknown>,
  ): void {
    this.deps.store.appendEvents(runId, [{ type, nodeId, data }], this.stamp());
    this.notify(runId);
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

/** What one pass over a run knows: reusable outputs, recorded approvals, the journal, and spending so far. */
class PassState {
  private readonly reusable = new Map<string, NodeOutputs>();
  private readonly decisions = new Map<string, ApprovalDecision>();
  private readonly scratchpads = new Map<string, Map<string, string>>();
  private readonly nodeSpend = new Map<string, { usd: number; tokens: number }>();
  private readonly spent = { usd: 0, inputTokens: 0, outputTokens: 0, tokens: 0 };
  private readonly llm: LlmProvider;
  // Read once per pass: in the app each read is a settings look-up (a query and a schema parse), too
  // much to repeat for every node.
  private readonly defaultModel: string;
  private readonly maxConcurrency: number;
  private readonly roles: ReadonlyMap<string, RolePreset>;
  private readonly configs = new WeakMap<WorkflowNode, Record<string, unknown>>();
  private readonly journalMayHaveEntries: boolean;
  private readonly journaledThisPass = new Map<string, { value: unknown }>();
  private pendingApprovals = 0;

  constructor(
    private readonly engine: RunEngine,
    private readonly record: RunRecord,
    private readonly log: RunEventLog,
    private readonly live: LiveRun,
    private readonly deps: RunEngineDeps,
  ) {
    const ownEvents = deps.store.readEvents(record.id, 0, Number.MAX_SAFE_INTEGER);
    const sourceEvents = record.sourceRunId
      ? deps.store.readEvents(record.sourceRunId, 0, Number.MAX_SAFE_INTEGER)
      : [];
    if (record.mode === 'fork' && record.fork) {
      const redo = descendantsOf(record.workflow, record.fork.nodeId);
      this.collectOutputs(sourceEvents, (nodeId) => !redo.has(nodeId.split('/')[0]?.split('#')[0] ?? nodeId));
    }
    if (record.mode === 'replay') this.collectDecisions(sourceEvents);
    this.collectOutputs(ownEvents, () => true);
    this.collectDecisions(ownEvents);
    this.llm = record.mode === 'replay' ? refusingProvider() : deps.llm();
    this.defaultModel = deps.defaultModel();
    this.maxConcurrency = deps.maxConcurrency();
    this.roles = deps.roles ?? new Map();
    this.journalMayHaveEntries = ownEvents.length > 0;
  }

  /** A node's config with its kind's defaults applied; parsed once per pass. */
  private parsedConfig(node: WorkflowNode): Record<string, unknown> {
    let config = this.configs.get(node);
    if (!config) {
      const implementation = this.engine.nodeRegistry.get(node.kind);
      config = (implementation?.descriptor.config.parse(node.config) ?? node.config) as Record<string, unknown>;
      this.configs.set(node, config);
    }
    return config;
  }

  usage(): Usage {
    return { inputTokens: this.spent.inputTokens, outputTokens: this.spent.outputTokens, costUsd: this.spent.usd };
  }

  runWorkflow(
    workflow: Workflow,
    prefix: string,
    signal: AbortSignal,
    depth: number,
    inputs: Record<string, unknown> = this.record.inputs,
  ): Promise<SchedulerOutcome> {
    const scheduler = new GraphScheduler(workflow, {
      prefix,
      registry: this.engine.nodeRegistry,
      maxConcurrency: this.maxConcurrency,
      signal,
      reusableOutputs: this.reusable,
      forkOverride: prefix === '' ? (this.record.fork?.input === undefined ? null : this.record.fork) : null,
      createContext: (node, scope, activation, nodeSignal) =>
        this.createContext(node, prefix + node.id, scope, activation, nodeSignal, depth, inputs),
      onNodeStarted: (nodeId, scope, inputs) =>
        this.log.append('node.started', nodeId, { scope, inputs: inputs.values }),
      onNodeCompleted: (nodeId, scope, outputs, reused) =>
        this.log.append('node.completed', nodeId, { scope, outputs, ...(reused ? { reused: true } : {}) }),
      onNodeFailed: (nodeId, scope, error, policy: FailurePolicy) =>
        this.log.append('node.failed', nodeId, { scope, error: describeError(error), policy }),
      onNodeSkipped: (nodeId) => this.log.append('node.skipped', nodeId, {}),
    });
    return scheduler.run();
  }

  private collectOutputs(events: RunEvent[], include: (nodeId: string) => boolean): void {
    for (const event of events) {
      if (event.type === 'node.completed' && event.nodeId && include(event.nodeId)) {
        this.reusable.set(String(event.data.scope), event.data.outputs as NodeOutputs);
      }
    }
  }

  private collectDecisions(events: RunEvent[]): void {
    for (const event of events) {
      if (event.type === 'approval.decided') {
        const { scope, ...decision } = event.data;
        this.decisions.set(String(scope), decision as ApprovalDecision);
      }
    }
  }

  private createContext(
    node: WorkflowNode,
    nodeId: string,
    scope: string,
    activation: number,
    signal: AbortSignal,
    depth: number,
    runInputs: Record<string, unknown>,
  ): NodeContext {
    const config = this.parsedConfig(node);
    const scratchpad = this.scratchpads.get(nodeId) ?? new Map<string, string>();
    this.scratchpads.set(nodeId, scratchpad);
    const context: NodeContext = {
      runId: this.record.id,
      nodeId,
      scope,
      activation,
      config,
      runInputs,
      projectDir: this.record.projectDir,
      signal,
      emit: (type, data) => this.log.append(type, nodeId, { scope, ...data }),
      emitTextDelta: (text) => this.log.appendTextDelta(nodeId, text),
      llm: this.llm,
      defaultModel: this.defaultModel,
      roles: this.roles,
      sandbox: this.deps.sandbox ?? null,
      memory: this.deps.memory ?? null,
      scratchpad,
      maxConcurrency: this.maxConcurrency,
      journaled: (kind, request, perform) => this.journaled(scope, kind, request, perform),
      recallMemories: (query, tokenBudget) => this.recallMemories(nodeId, scope, query, tokenBudget),
      chargeUsage: (usage, costUsd, nodeBudget) => this.charge(nodeId, scope, usage, costUsd, nodeBudget),
      awaitApproval: (payload, prompt) => this.awaitApproval(nodeId, scope, payload, prompt, signal),
      runChild: async (kind, childConfig, input, childScope) => {
        const child = this.engine.nodeRegistry.get(kind);
        if (!child) throw new Error(`unknown node kind "${kind}"`);
        const parsed = child.descriptor.config.parse(childConfig);
        const port = child.descriptor.inputs[0]?.name ?? 'in';
        const childNode = { ...node, kind, config: parsed };
        const childContext = this.createContext(
          childNode,
          nodeId,
          `${scope}/${childScope}`,
          1,
          signal,
          depth,
          runInputs,
        );
        return child.run(childContext, { values: { [port]: input }, all: { [port]: [input] } });
      },
      runSubworkflow: async (workflowId, inputs) => {
        if (depth >= MAX_SUBWORKFLOW_DEPTH) throw new Error(`subworkflows nest deeper than ${MAX_SUBWORKFLOW_DEPTH}`);
        const workflow = this.engine.loadWorkflow(workflowId);
        const outcome = await this.runWorkflow(workflow, `${scope}/`, signal, depth + 1, inputs);
        if (outcome.kind === 'completed') return outcome.outputs;
        if (outcome.kind === 'budget') throw outcome.error;
        if (outcome.kind === 'cancelled') throw abortError();
        throw new Error(`subworkflow "${workflowId}" failed: ${outcome.error}`);
      },
    };
    return context;
  }

  /**
   * `absentFromSource` answers a replay whose source run never took this step (memory injection or
   * synthesis: recorded before they existed, or with synthesis off), so the replay skips it too.
   */
  private async journaled<T>(
    scope: string,
    kind: JournalKind,
    request: unknown,
    perform: () => Promise<T>,
    absentFromSource?: () => T,
  ): Promise<T> {
    // One-shot hashing: requests are hashed on every step, and a Hash object costs more than the hashing.
    const key = hash('sha256', JSON.stringify([scope, kind, request]), 'hex');
    const store = this.deps.store;
    const recorded = this.journaledThisPass.get(key);
    if (recorded) return recorded.value as T;
    // The first pass of a new run has nothing journaled yet: skip the look-ups.
    const own = this.journalMayHaveEntries ? store.readJournal(this.record.id, key) : null;
    const hit = own ?? (this.record.sourceRunId ? store.readJournal(this.record.sourceRunId, key) : null);
    if (hit) {
      if (!own) this.recordJournal(key, kind, hit.value);
      return hit.value as T;
    }
    if (this.record.mode === 'replay') {
      if (absentFromSource) {
        const value = absentFromSource();
        this.recordJournal(key, kind, value);
        return value;
      }
      const what = kind === 'llm' ? 'model call' : kind === 'tool' ? 'tool call' : 'memory step';
      throw new ReplayDivergedError(`a ${what} of ${scope || 'the run'}`);
    }
    const value = await perform();
    this.recordJournal(key, kind, value);
    return value;
  }

  private recordJournal(key: string, kind: string, value: unknown): void {
    this.journaledThisPass.set(key, { value });
    this.log.journal({ key, kind, value });
  }

  private async recallMemories(nodeId: string, scope: string, query: string, tokenBudget: number): Promise<string> {
    const memory = this.deps.memory;
    if (!memory) return '';
    const namespaces = [defaultNamespace(this.record.projectDir), GLOBAL_NAMESPACE];
    const recalled = await this.journaled<RecalledMemories | null>(
      scope,
      'memory',
      { recall: query, namespaces, tokenBudget },
      async () => {
        try {
          const { text, tokens, injected } = await buildMemoryContext(memory, { query, namespaces, tokenBudget });
          return { text, tokens, injected };
        } catch (error) {
          // The agent can work without memories; the failure is journaled so a resume agrees with this pass.
          return { error: describeError(error) };
        }
      },
      () => null,
    );
    if (recalled === null) return '';
    if ('error' in recalled) {
      this.log.append('memory.failed', nodeId, { scope, step: 'injection', error: recalled.error });
      return '';
    }
    this.log.append('memory.injected', nodeId, {
      scope,
      namespaces,
      tokenBudget,
      tokens: recalled.tokens,
      memories: recalled.injected,
    });
    return recalled.text;
  }

  /**
   * After a completed run, or a failed one in which some error was got past: asks the model for a task
   * summary, error → resolution pairs and decisions, and stores them in the project's memory. Journaled
   * (replay makes no call and stores nothing), and never fails the run: a failure becomes an event.
   */
  async synthesizeMemories(outcome: 'completed' | 'failed', signal: AbortSignal): Promise<void> {
    const memory = this.deps.memory;
    if (!memory) return;
    // A replay follows its journal whatever the setting is now.
    if (this.record.mode !== 'replay' && !(this.deps.synthesizeAfterRuns?.() ?? true)) return;
    try {
      this.log.flush();
      const digest = digestRun(this.deps.store.readEvents(this.record.id, 0, Number.MAX_SAFE_INTEGER));
      if (!digest.usedModel || (outcome === 'failed' && !digest.recovered)) return;
      const namespace = defaultNamespace(this.record.projectDir);
      const inputs = JSON.stringify(this.record.inputs);
      const run = {
        namespace,
        goal: inputs === '{}' ? this.record.workflowName : `${this.record.workflowName}: ${inputs.slice(0, 2000)}`,
        outcome: outcome === 'completed' ? ('succeeded' as const) : ('failed' as const),
        transcript: digest.transcript,
      };
      // Keyed by what is summarised, not by run id: a replay finds its source's entry, a fork (other
      // results) does not.
      const result = await this.journaled<SynthesisResult | null>(
        '',
        'memory',
        { synthesize: run },
        () => this.performSynthesis(memory, { runId: this.record.id, ...run }, signal),
        () => null,
      );
      if (result === null) return;
      this.countUsage(result.usage, result.costUsd);
      if (result.model !== null) {
        this.log.append('llm.usage', null, {
          purpose: 'memory synthesis',
          ...result.usage,
          costUsd: result.costUsd,
          model: result.model,
        });
      }
      if ('error' in result) this.log.append('memory.failed', null, { step: 'synthesis', error: result.error });
      else this.log.append('memory.synthesized', null, { namespace, memories: result.stored });
    } catch (error) {
      this.log.append('memory.failed', null, { step: 'synthesis', error: describeError(error) });
    }
  }

  private async performSynthesis(
    memory: MemoryStore,
    run: Parameters<typeof synthesizeRun>[2],
    signal: AbortSignal,
  ): Promise<SynthesisResult> {
    let usage = NO_LLM_USAGE;
    let costUsd = 0;
    let model: string | null = null;
    const memoryModel: MemoryModel = {
      complete: async (asked) => {
        const request: LlmRequest = {
          model: this.defaultModel,
          system: asked.system,
          messages: [{ role: 'user', content: [{ type: 'text', text: asked.prompt }] }],
          tools: [],
          maxTokens: asked.maxTokens,
        };
        // Journaled on its own too: a crash while storing does not repeat the model call on resume.
        const response = await this.journaled('', 'llm', request, () => this.llm.complete(request, { signal }));
        usage = response.usage;
        costUsd = response.costUsd;
        model = response.model;
        return response.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      },
    };
    try {
      const stored = await synthesizeRun(memory, memoryModel, run, { signal });
      return {
        stored: stored.map((result) => ({ id: result.item.id, kind: result.item.kind, outcome: result.outcome })),
        usage,
        costUsd,
        model,
      };
    } catch (error) {
      return { error: describeError(error), usage, costUsd, model };
    }
  }

  /** Adds model usage to the run's totals without a budget check (for work done after the graph finished). */
  private countUsage(usage: LlmUsage, costUsd: number): number {
    const tokens = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    this.spent.usd += costUsd;
    this.spent.tokens += tokens;
    this.spent.inputTokens += usage.inputTokens;
    this.spent.outputTokens += usage.outputTokens;
    return tokens;
  }

  private charge(nodeId: string, scope: string, usage: LlmUsage, costUsd: number, nodeBudget?: Budget): void {
    const tokens = this.countUsage(usage, costUsd);
    const node = this.nodeSpend.get(scope) ?? { usd: 0, tokens: 0 };
    node.usd += costUsd;
    node.tokens += tokens;
    this.nodeSpend.set(scope, node);
    if (nodeBudget && exceeds(nodeBudget, node)) throw new BudgetExceededError('node', nodeBudget, { ...node }, nodeId);
    const runBudget = this.record.budget;
    if (exceeds(runBudget, this.spent)) {
      throw new BudgetExceededError('run', runBudget, { usd: this.spent.usd, tokens: this.spent.tokens }, nodeId);
    }
  }

  private awaitApproval(
    nodeId: string,
    scope: string,
    payload: unknown,
    prompt: string,
    signal: AbortSignal,
  ): Promise<ApprovalDecision> {
    const recorded = this.decisions.get(scope);
    if (recorded) return Promise.resolve(recorded);
    if (this.record.mode === 'replay') return Promise.reject(new ReplayDivergedError(`the approval of ${scope}`));
    this.log.append('approval.requested', nodeId, { scope, payload, prompt });
    this.pendingApprovals++;
    this.log.flush();
    this.engine.setStatus(this.record.id, { status: 'waiting', pauseReason: `waiting for approval of "${nodeId}"` });
    return new Promise<ApprovalDecision>((resolve, reject) => {
      const settle = () => {
        this.live.approvals.delete(nodeId);
        signal.removeEventListener('abort', onAbort);
        this.pendingApprovals--;
        if (this.pendingApprovals === 0)
          this.engine.setStatus(this.record.id, { status: 'running', pauseReason: null });
      };
      const onAbort = () => {
        settle();
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.live.approvals.set(nodeId, (decision) => {
        this.log.append('approval.decided', nodeId, { scope, ...decision });
        this.decisions.set(scope, decision);
        settle();
        resolve(decision);
      });
    });
  }
}

function exceeds(budget: Budget, spent: { usd: number; tokens: number }): boolean {
  return (
    (budget.maxUsd !== undefined && spent.usd > budget.maxUsd) ||
    (budget.maxTokens !== undefined && spent.tokens > budget.maxTokens)
  );
}

function descendantsOf(workflow: Workflow, nodeId: string): Set<string> {
  const found = new Set<string>([nodeId]);
  const stack = [nodeId];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const edge of workflow.edges) {
      if (edge.source.node === id && !found.has(edge.target.node)) {
        found.add(edge.target.node);
        stack.push(edge.target.node);
      }
    }
  }
  return found;
}

function refusingProvider(): LlmProvider {
  return {
    name: 'replay',
    complete: () => Promise.reject(new ReplayDivergedError('a model call')),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function shutdownReason(): Error {
  const error = new Error('War Room is shutting down');
  error.name = 'AbortError';
  return error;
}

function abortError(): Error {
  const error = new Error('the run was cancelled');
  error.name = 'AbortError';
  return error;
}

function toRun(record: RunRecord): Run {
  return RunSchema.parse(record);
}
