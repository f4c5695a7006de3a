import type { Budget, FailurePolicy } from '@shared/node-kinds';
import type { Breakpoint } from '@shared/breakpoints';
import type { ApprovalDecision, RunStatus, Usage } from '@shared/runs';
import type { Workflow, WorkflowNode } from '@shared/workflow';
import type { LlmProvider } from '../llm/port';
import type { RunPatch, RunRecord, RunStore } from '../store/port';
import { ApprovalGate } from './approval-gate';
import { BreakpointGate, recordedBreakpoints, startedBreakpoints, type PausedSlot } from './breakpoints';
import { abortError, describeError, ReplayDivergedError } from './errors';
import type { RunEventLog } from './event-log';
import { RunJournal } from './journal';
import type { NodeContext, NodeInputs, NodeOutputs, NodeServices } from './node-kind';
import type { NodeRegistry } from './nodes/registry';
import {
  completedOutputs,
  completedSpending,
  descendantsOf,
  recordedDecisions,
  topLevelNodeId,
  type ExecutionSpend,
} from './prior-work';
import { RunMemory } from './run-memory/run-memory';
import { RunHolds } from './run-holds';
import { RunSpending } from './run-spending';
import { GraphScheduler, type SchedulerOutcome } from './scheduler';

const MAX_SUBWORKFLOW_DEPTH = 8;

/**
 * What a pass needs from its surroundings, resolved once when it starts: in the app each setting read
 * is a query and a schema parse, too much to repeat for every node.
 */
export interface PassDeps extends NodeServices {
  store: RunStore;
  log: RunEventLog;
  registry: NodeRegistry;
  maxConcurrency: number;
  synthesizeAfterRuns: boolean;
  /** Nodes waiting for a human in this pass; the engine resolves them when a decision arrives. */
  waitingApprovals: Map<string, (decision: ApprovalDecision) => void>;
  /** A new run's breakpoints (a later pass reads them from the run's first event). */
  breakpoints?: readonly Breakpoint[];
  /** The point this pass is paused on, where the engine resumes it. */
  pausedSlot: PausedSlot;
  /** Changes the run's status while the pass goes on (waiting for approval and back). */
  setStatus(patch: RunPatch): void;
  /** Configs validation already parsed (the pass parses the others itself, once). */
  parsedConfigs: WeakMap<WorkflowNode, unknown>;
  /** A saved workflow, checked, for subworkflow nodes. */
  loadWorkflow(id: string): Workflow;
  now(): Date;
  /** Whether the host is going away: a pass cancelled then is left paused (resumable), not cancelled. */
  isShuttingDown(): boolean;
}

/**
 * One execution of a run: the graph scheduler over its workflow, with what earlier passes recorded
 * (outputs, decisions, journal) re-used, so a pass after a crash, a budget pause or an approval picks
 * up where the last one stopped.
 */
export class RunPass {
  private readonly reusable: Map<string, NodeOutputs>;
  /** What this run's own earlier passes spent on the executions this pass re-uses. */
  private readonly reusedSpend: Map<string, ExecutionSpend>;
  private readonly scratchpads = new Map<string, Map<string, string>>();
  private readonly journal: RunJournal;
  private readonly spending: RunSpending;
  private readonly approvals: ApprovalGate;
  private readonly breakpoints: BreakpointGate;
  private readonly startBreakpoints: readonly Breakpoint[];
  private readonly memory: RunMemory | null;
  private readonly llm: LlmProvider;
  private readonly holds: RunHolds;

  constructor(
    private readonly record: RunRecord,
    private readonly deps: PassDeps,
  ) {
    const { store, log } = deps;
    const ownEvents = store.readEvents(record.id, 0, Number.MAX_SAFE_INTEGER);
    const sourceEvents = record.sourceRunId ? store.readEvents(record.sourceRunId, 0, Number.MAX_SAFE_INTEGER) : [];
    this.reusable = new Map();
    if (record.mode === 'fork' && record.fork) {
      const redo = descendantsOf(record.workflow, record.fork.nodeId);
      completedOutputs(sourceEvents, (nodeId) => !redo.has(topLevelNodeId(nodeId)), this.reusable);
    }
    completedOutputs(ownEvents, () => true, this.reusable);
    // Only the run's own: a fork's re-used upstream was spent by its source run, not by the fork.
    this.reusedSpend = completedSpending(ownEvents);
    const decisions = recordedDecisions(record.mode === 'replay' ? sourceEvents : []);
    recordedDecisions(ownEvents, decisions);
    this.llm = record.mode === 'replay' ? refusingProvider() : deps.llm;
    this.journal = new RunJournal({
      store,
      runId: record.id,
      sourceRunId: record.sourceRunId,
      mode: record.mode,
      mayHaveOwnEntries: ownEvents.length > 0,
      write: (entry) => log.journal(entry),
    });
    this.spending = new RunSpending(record.budget);
    this.holds = new RunHolds(deps.setStatus);
    this.approvals = new ApprovalGate({
      log,
      mode: record.mode,
      decisions,
      waiting: deps.waitingApprovals,
      setWaiting: (waiting, nodeId) =>
        this.holds.set('approval', waiting ? `waiting for approval of "${nodeId}"` : null),
    });
    // A replay re-applies the edits its source run made at breakpoints (so it runs what that run ran).
    const recordedStops = recordedBreakpoints(record.mode === 'replay' ? sourceEvents : []);
    recordedBreakpoints(ownEvents, recordedStops);
    this.startBreakpoints = deps.breakpoints ?? [];
    this.breakpoints = new BreakpointGate({
      log,
      mode: record.mode,
      breakpoints: record.mode === 'replay' ? [] : (deps.breakpoints ?? startedBreakpoints(ownEvents)),
      recorded: recordedStops,
      slot: deps.pausedSlot,
      setPaused: (reason) => this.holds.set('breakpoint', reason),
    });
    this.memory = deps.memory
      ? new RunMemory({
          memory: deps.memory,
          record,
          store,
          log,
          journal: this.journal,
          spending: this.spending,
          llm: this.llm,
          defaultModel: deps.defaultModel,
          synthesizeAfterRuns: deps.synthesizeAfterRuns,
        })
      : null;
  }

  /**
   * Runs the workflow to an outcome and records it: the final event and the run's status. Only the
   * store can throw from here (e.g. the database closed while the host shut down).
   */
  async execute(firstEvent: 'run.started' | 'run.resumed', signal: AbortSignal): Promise<void> {
    const { record, deps } = this;
    const { log } = deps;
    // Secrets in what the run was given are redacted before anything records or sends them; the run's
    // record keeps the redacted form, so a resume, replay or fork starts from it too.
    const inputs = await deps.redactor.redactDeep(record.inputs);
    if (inputs !== record.inputs) deps.store.updateRun(record.id, { inputs }, deps.now().toISOString());
    log.append(firstEvent, null, {
      mode: record.mode,
      sourceRunId: record.sourceRunId,
      inputs,
      ...(firstEvent === 'run.started' && this.startBreakpoints.length > 0
        ? { breakpoints: [...this.startBreakpoints] }
        : {}),
    });
    let outcome: SchedulerOutcome;
    try {
      // Written at once: a journal entry must never exist without the events that say its run began.
      log.flush();
      outcome = await this.runWorkflow(record.workflow, '', signal, 0, inputs);
    } catch (error) {
      outcome = { kind: 'failed', error: describeError(error), nodeId: '' };
    }
    if (log.writeFailure === undefined && (outcome.kind === 'completed' || outcome.kind === 'failed') && this.memory) {
      await this.memory.synthesize(outcome.kind, signal);
    }
    const usage = this.spending.usage();
    const patch = this.recordOutcome(this.unlessUnsaved(outcome), usage);
    try {
      log.close();
    } catch {
      // The final events could not be written either: the run's row still says why it stopped.
    }
    const unsaved = log.writeFailure;
    const final: RunPatch = unsaved === undefined ? patch : { status: 'failed', error: unsavedReason(unsaved), usage };
    deps.store.updateRun(record.id, { ...final, ownerPid: null }, deps.now().toISOString());
  }

  /**
   * A run whose progress could not be saved (the disk filled up, the profile became read-only) fails
   * with that reason, whatever its nodes did: what was not recorded would be done again on resume.
   */
  private unlessUnsaved(outcome: SchedulerOutcome): SchedulerOutcome {
    const failure = this.deps.log.writeFailure;
    return failure === undefined ? outcome : { kind: 'failed', error: unsavedReason(failure), nodeId: '' };
  }

  private recordOutcome(outcome: SchedulerOutcome, usage: Usage): RunPatch & { status: RunStatus } {
    const { log } = this.deps;
    switch (outcome.kind) {
      case 'completed':
        log.append('run.completed', null, { outputs: outcome.outputs, usage });
        return { status: 'completed', outputs: outcome.outputs, usage };
      case 'failed':
        log.append('run.failed', outcome.nodeId || null, { error: outcome.error, usage });
        return { status: 'failed', error: outcome.error, usage };
      case 'budget': {
        const { error } = outcome;
        log.append('budget.exceeded', error.nodeId, { scope: error.scope, limit: error.limit, spent: error.spent });
        log.append('run.paused', null, { reason: error.message, usage });
        return { status: 'paused', pauseReason: error.message, usage };
      }
      case 'cancelled': {
        if (!this.deps.isShuttingDown()) {
          log.append('run.cancelled', null, { usage });
          return { status: 'cancelled', usage };
        }
        const atBreakpoint = this.breakpoints.pausedReason();
        const reason = atBreakpoint
          ? `${atBreakpoint}; continue it with \`warroom runs continue ${this.record.id}\``
          : `War Room stopped during the run; continue it with \`warroom runs resume ${this.record.id}\``;
        log.append('run.paused', null, { reason, usage });
        return { status: 'paused', pauseReason: reason, usage };
      }
    }
  }

  private runWorkflow(
    workflow: Workflow,
    prefix: string,
    signal: AbortSignal,
    depth: number,
    inputs: Record<string, unknown>,
  ): Promise<SchedulerOutcome> {
    const { log, registry, maxConcurrency } = this.deps;
    const fork = this.record.fork;
    const scheduler = new GraphScheduler(workflow, {
      prefix,
      registry,
      maxConcurrency,
      signal,
      reusableOutputs: this.reusable,
      forkOverride: prefix === '' && fork?.input !== undefined ? fork : null,
      // Breakpoints name the nodes of the run's own workflow, not those of a subworkflow it calls.
      beforeNodeRun:
        prefix === '' && this.breakpoints.active
          ? async (nodeId, scope, inputs, nodeSignal) => {
              const pending = inputs.values;
              const edited = await this.breakpoints.pass(
                { kind: 'node', nodeId, scope, key: `node:${scope}`, pending },
                nodeSignal,
              );
              return edited === pending ? inputs : withEditedValues(edited);
            }
          : null,
      createContext: (node, scope, activation, nodeSignal) =>
        this.createContext(node, prefix + node.id, scope, activation, nodeSignal, depth, inputs),
      onNodeStarted: (nodeId, scope, nodeInputs) =>
        log.append('node.started', nodeId, { scope, inputs: nodeInputs.values }),
      onNodeCompleted: (nodeId, scope, outputs, reused) => {
        const spent = reused ? this.reusedSpend.get(scope) : undefined;
        if (spent) this.spending.count(spent.usage, spent.costUsd);
        log.append('node.completed', nodeId, reused ? { scope, outputs, reused } : { scope, outputs });
      },
      onNodeFailed: (nodeId, scope, error, policy: FailurePolicy) =>
        log.append('node.failed', nodeId, { scope, error: describeError(error), policy }),
      onNodeSkipped: (nodeId) => log.append('node.skipped', nodeId, {}),
    });
    return scheduler.run();
  }

  /** A node's config with its kind's defaults applied; parsed once per pass (or by validation). */
  private parsedConfig(node: WorkflowNode): Record<string, unknown> {
    const configs = this.deps.parsedConfigs;
    let config = configs.get(node);
    if (config === undefined) {
      const implementation = this.deps.registry.get(node.kind);
      config = implementation?.descriptor.config.parse(node.config) ?? node.config;
      configs.set(node, config);
    }
    return config as Record<string, unknown>;
  }

  private createContext(
    node: WorkflowNode,
    nodeId: string,
    scope: string,
    activation: number,
    signal: AbortSignal,
    depth: number,
    runInputs: Record<string, unknown>,
    enclosing?: { scope: string; budget?: Budget },
  ): NodeContext {
    const { deps } = this;
    const { log } = deps;
    let scratchpad = this.scratchpads.get(nodeId);
    if (!scratchpad) {
      scratchpad = new Map<string, string>();
      this.scratchpads.set(nodeId, scratchpad);
    }
    const memory = this.memory;
    return {
      runId: this.record.id,
      nodeId,
      scope,
      activation,
      config: this.parsedConfig(node),
      runInputs,
      projectDir: this.record.projectDir,
      signal,
      // The one place a node's unscoped data becomes an event's: TypeScript cannot follow the generic
      // type through the spread, the NodeContext signature checks what nodes pass.
      emit: (type, data) => log.append(type, nodeId, { scope, ...data } as never),
      emitTextDelta: (text) => log.appendTextDelta(nodeId, text),
      llm: this.llm,
      defaultModel: deps.defaultModel,
      roles: deps.roles,
      sandbox: deps.sandbox,
      memory: deps.memory,
      mcp: deps.mcp,
      audit: deps.audit,
      redactor: deps.redactor,
      redactToModel: deps.redactToModel,
      scratchpad,
      maxConcurrency: deps.maxConcurrency,
      journaled: (kind, request, perform) => this.journal.answer(scope, kind, request, perform),
      recallMemories: (query, tokenBudget) =>
        memory ? memory.recall(nodeId, scope, query, tokenBudget) : Promise.resolve(''),
      chargeUsage: (usage, costUsd, nodeBudget) =>
        this.spending.charge(nodeId, scope, usage, costUsd, nodeBudget, enclosing),
      member: (memberId, enclosingBudget) =>
        this.createContext(
          node,
          `${nodeId}/${memberId}`,
          `${scope}/${memberId}`,
          activation,
          signal,
          depth,
          runInputs,
          // A member of a member (a delegate's delegate) still counts against the team, the outermost.
          enclosing ?? { scope, ...(enclosingBudget ? { budget: enclosingBudget } : {}) },
        ),
      pauseBefore: (point) =>
        this.breakpoints.active
          ? this.breakpoints.pass(
              point.kind === 'loop'
                ? { ...point, nodeId, scope, key: `loop:${scope}` }
                : { ...point, nodeId, scope, key: `tool:${scope}:${point.tool.id}` },
              signal,
            )
          : Promise.resolve(point.pending),
      awaitApproval: (payload, prompt, key) =>
        this.approvals.await(nodeId, key ? `${scope}/${key}` : scope, payload, prompt, signal),
      runChild: async (kind, childConfig, input, childScope) => {
        const child = deps.registry.get(kind);
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
      runSubworkflow: async (workflowId, subInputs) => {
        if (depth >= MAX_SUBWORKFLOW_DEPTH) throw new Error(`subworkflows nest deeper than ${MAX_SUBWORKFLOW_DEPTH}`);
        const workflow = deps.loadWorkflow(workflowId);
        const outcome = await this.runWorkflow(workflow, `${scope}/`, signal, depth + 1, subInputs);
        if (outcome.kind === 'completed') return outcome.outputs;
        if (outcome.kind === 'budget') throw outcome.error;
        if (outcome.kind === 'cancelled') throw abortError();
        throw new Error(`subworkflow "${workflowId}" failed: ${outcome.error}`);
      },
    };
  }
}

/** A node's inputs after the user edited them at a breakpoint: one value per port. */
function withEditedValues(edited: unknown): NodeInputs {
  const values = edited as Record<string, unknown>;
  return { values, all: Object.fromEntries(Object.entries(values).map(([port, value]) => [port, [value]])) };
}

function unsavedReason(failure: unknown): string {
  return `War Room could not save the run: ${describeError(failure)}`;
}

function refusingProvider(): LlmProvider {
  return {
    name: 'replay',
    complete: () => Promise.reject(new ReplayDivergedError('a model call')),
  };
}
