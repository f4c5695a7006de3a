import { setMaxListeners } from 'node:events';
import { isLoopFeedbackEdge, type Workflow, type WorkflowEdge, type WorkflowNode } from '@shared/workflow';
import type { FailurePolicy } from '@shared/node-kinds';
import { abortError, BudgetExceededError, NodeTimeoutError, describeError, isAbortError } from './errors';
import type { NodeContext, NodeInputs, NodeOutputs } from './node-kind';
import type { NodeRegistry } from './nodes/registry';

/**
 * Runs one workflow graph as dataflow: a node runs once every edge into it has settled (carrying a value
 * or nothing); independent branches run concurrently up to the limit. A port left out of a node's
 * outputs carries nothing, and a node that receives nothing at all is skipped, so conditions prune
 * branches. Loops go round by resetting their body and re-running it.
 */
export interface SchedulerHooks {
  /** Node ids in events are prefixed for subworkflows ("call/child"). */
  prefix: string;
  registry: NodeRegistry;
  maxConcurrency: number;
  signal: AbortSignal;
  /** Outputs recorded by an earlier pass (resume) or the run this one forks, by scope. */
  reusableOutputs: ReadonlyMap<string, NodeOutputs>;
  /** The edited input a fork gives one node. */
  forkOverride: { nodeId: string; input: unknown } | null;
  /** Where a run may pause before a node (breakpoints): resolves with the inputs it runs with. Null: never. */
  beforeNodeRun?:
    ((nodeId: string, scope: string, inputs: NodeInputs, signal: AbortSignal) => Promise<NodeInputs>) | null;
  createContext(node: WorkflowNode, scope: string, activation: number, signal: AbortSignal): NodeContext;
  onNodeStarted(nodeId: string, scope: string, inputs: NodeInputs): void;
  onNodeCompleted(nodeId: string, scope: string, outputs: NodeOutputs, reused: boolean): void;
  onNodeFailed(nodeId: string, scope: string, error: unknown, policy: FailurePolicy): void;
  onNodeSkipped(nodeId: string): void;
}

export type SchedulerOutcome =
  | { kind: 'completed'; outputs: Record<string, unknown> }
  | { kind: 'failed'; error: string; nodeId: string }
  | { kind: 'budget'; error: BudgetExceededError }
  | { kind: 'cancelled' };

interface NodeState {
  node: WorkflowNode;
  status: 'idle' | 'running' | 'waiting-feedback' | 'done';
  activation: number;
  arrivals: Map<string, { live: boolean; value: unknown }>;
}

export class GraphScheduler {
  private readonly states = new Map<string, NodeState>();
  private readonly incoming = new Map<string, WorkflowEdge[]>();
  private readonly feedback = new Map<string, WorkflowEdge[]>();
  private readonly outgoing = new Map<string, WorkflowEdge[]>();
  private readonly loopBodies = new Map<string, Set<string>>();
  private readonly feedbackEdgeIds = new Set<string>();
  private readonly deadFeedback = new Map<string, Set<string>>();
  private readonly ready: Array<{ state: NodeState; inputs: NodeInputs }> = [];
  private readonly outputs: Record<string, unknown> = {};
  private readonly passController = new AbortController();
  /** Rejects each running node's promise when the pass stops, so a node that ignores its signal cannot hang it. */
  private readonly inFlight = new Set<(reason: Error) => void>();
  private running = 0;
  private stop: SchedulerOutcome | null = null;
  private finish: (outcome: SchedulerOutcome) => void = () => undefined;

  constructor(
    workflow: Workflow,
    private readonly hooks: SchedulerHooks,
  ) {
    for (const node of workflow.nodes) {
      this.states.set(node.id, { node, status: 'idle', activation: 0, arrivals: new Map() });
      this.incoming.set(node.id, []);
      this.outgoing.set(node.id, []);
      this.feedback.set(node.id, []);
    }
    const nodesById = new Map(workflow.nodes.map((node) => [node.id, node]));
    for (const edge of workflow.edges) {
      const isFeedback = isLoopFeedbackEdge(edge, nodesById);
      if (isFeedback) this.feedbackEdgeIds.add(edge.id);
      (isFeedback ? this.feedback : this.incoming).get(edge.target.node)?.push(edge);
      this.outgoing.get(edge.source.node)?.push(edge);
    }
    for (const node of workflow.nodes) if (node.kind === 'loop') this.loopBodies.set(node.id, this.bodyOf(node.id));
    // Every running node listens on the pass's signal (and so do the model calls it makes), more at once
    // than Node's default of 10 before it warns of a leak; each listener is removed when its node ends.
    setMaxListeners(0, this.passController.signal);
  }

  run(): Promise<SchedulerOutcome> {
    const onAbort = () => this.halt({ kind: 'cancelled' });
    if (this.hooks.signal.aborted) return Promise.resolve({ kind: 'cancelled' });
    this.hooks.signal.addEventListener('abort', onAbort, { once: true });
    const done = new Promise<SchedulerOutcome>((resolve) => {
      this.finish = (outcome) => {
        this.hooks.signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
    });
    for (const state of this.states.values()) this.checkReady(state);
    this.pump();
    return done;
  }

  /** Nodes on a loop's cycle: reachable from its body output and able to reach its feedback input. */
  private bodyOf(loopId: string): Set<string> {
    const forward = new Set<string>();
    const stack = (this.outgoing.get(loopId) ?? [])
      .filter((edge) => edge.source.port === 'body')
      .map((edge) => edge.target.node);
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      if (id === loopId || forward.has(id)) continue;
      forward.add(id);
      for (const edge of this.outgoing.get(id) ?? []) stack.push(edge.target.node);
    }
    const backward = new Set<string>();
    const back = (this.feedback.get(loopId) ?? []).map((edge) => edge.source.node);
    for (let id = back.pop(); id !== undefined; id = back.pop()) {
      if (id === loopId || backward.has(id) || !forward.has(id)) continue;
      backward.add(id);
      for (const edge of [...(this.incoming.get(id) ?? []), ...(this.feedback.get(id) ?? [])])
        back.push(edge.source.node);
    }
    return backward;
  }

  private checkReady(state: NodeState): void {
    if (state.status !== 'idle') return;
    const edges = this.incoming.get(state.node.id) ?? [];
    const liveEdges = () => edges.filter((edge) => state.arrivals.get(edge.id)?.live);
    const firstWins = state.node.kind === 'join' && state.node.config.policy === 'first';
    if (firstWins) {
      const live = liveEdges();
      if (live.length > 0) return this.activate(state, this.collectInputs(state, live));
    }
    // Only incoming edges arrive here (feedback goes to the loop directly), so counting arrivals is
    // enough to know whether to wait: a join of n branches is checked n times, and each check stays O(1)
    // until the last.
    if (state.arrivals.size < edges.length) return;
    const live = liveEdges();
    if (edges.length > 0 && live.length === 0) return this.skip(state);
    if (state.node.kind === 'join' && state.node.config.policy !== 'any' && live.length < edges.length && !firstWins) {
      const missing = edges.filter((edge) => !state.arrivals.get(edge.id)?.live).map((edge) => edge.source.node);
      return this.fail(state, new Error(`join "all" is missing the branches from ${missing.join(', ')}`));
    }
    this.activate(state, this.collectInputs(state, live));
  }

  private collectInputs(state: NodeState, edges: WorkflowEdge[]): NodeInputs {
    const inputs: NodeInputs = { values: {}, all: {} };
    for (const edge of edges) {
      const value = state.arrivals.get(edge.id)?.value;
      inputs.values[edge.target.port] = value;
      (inputs.all[edge.target.port] ??= []).push(value);
    }
    const override = this.hooks.forkOverride;
    if (override && override.nodeId === state.node.id) {
      const port = this.hooks.registry.get(state.node.kind)?.descriptor.inputs[0]?.name;
      if (port) {
        inputs.values[port] = override.input;
        inputs.all[port] = [override.input];
      }
    }
    return inputs;
  }

  private activate(state: NodeState, inputs: NodeInputs): void {
    state.status = 'running';
    state.activation++;
    this.ready.push({ state, inputs });
  }

  private pump(): void {
    while (!this.stop && this.running < this.hooks.maxConcurrency && this.ready.length > 0) {
      const next = this.ready.shift();
      if (next) void this.execute(next.state, next.inputs);
    }
    if (this.running === 0 && (this.stop || this.ready.length === 0)) {
      this.finish(this.stop ?? { kind: 'completed', outputs: this.outputs });
    }
  }

  private async execute(state: NodeState, given: NodeInputs): Promise<void> {
    const { node } = state;
    const nodeId = this.hooks.prefix + node.id;
    const scope = `${nodeId}#${state.activation}`;
    const reused = this.hooks.reusableOutputs.get(scope);
    if (reused && this.hooks.forkOverride?.nodeId !== node.id) {
      // An output node finished by an earlier pass (before a crash) still gives the run its output.
      this.recordRunOutput(node, reused);
      this.hooks.onNodeCompleted(nodeId, scope, reused, true);
      this.complete(state, reused);
      return;
    }
    this.running++;
    const policy = (node.config.onError as FailurePolicy | undefined) ?? 'fail';
    const timeoutMs = node.config.timeoutMs as number | undefined;
    // Only a node with a time limit needs a signal of its own (aborted by the pass or by its timer); the
    // others use the pass's signal, sparing an AbortController and two listeners on every step.
    const nodeController = timeoutMs === undefined ? null : new AbortController();
    const signal = nodeController?.signal ?? this.passController.signal;
    const onPassAbort = () => nodeController?.abort(this.passController.signal.reason);
    if (nodeController) this.passController.signal.addEventListener('abort', onPassAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | null = null;
    try {
      // Paused at a breakpoint: the time a human takes does not count against the node's time limit.
      const inputs = this.hooks.beforeNodeRun
        ? await this.settleOnHalt(this.hooks.beforeNodeRun(nodeId, scope, given, this.passController.signal))
        : given;
      if (nodeController && timeoutMs !== undefined)
        timer = setTimeout(() => nodeController.abort(new NodeTimeoutError(nodeId, timeoutMs)), timeoutMs);
      const implementation = this.hooks.registry.get(node.kind);
      if (!implementation) throw new Error(`unknown node kind "${node.kind}"`);
      const context = this.hooks.createContext(node, scope, state.activation, signal);
      this.hooks.onNodeStarted(nodeId, scope, inputs);
      const running = implementation.run(context, inputs);
      const outputs = await (nodeController ? raceAbort(running, signal) : this.settleOnHalt(running));
      if (this.stop) return;
      this.recordRunOutput(node, outputs);
      this.hooks.onNodeCompleted(nodeId, scope, outputs, false);
      this.complete(state, outputs);
    } catch (caught) {
      if (this.stop) return;
      const error = signal.reason instanceof NodeTimeoutError ? signal.reason : caught;
      if (error instanceof BudgetExceededError) {
        this.halt({ kind: 'budget', error });
      } else if (isAbortError(error) && this.hooks.signal.aborted) {
        this.halt({ kind: 'cancelled' });
      } else {
        this.hooks.onNodeFailed(nodeId, scope, error, policy);
        if (policy === 'route') this.complete(state, { error: { message: describeError(error) } });
        else if (policy === 'continue') this.complete(state, {});
        else this.halt({ kind: 'failed', error: `node "${nodeId}": ${describeError(error)}`, nodeId });
      }
    } finally {
      if (timer) clearTimeout(timer);
      this.passController.signal.removeEventListener('abort', onPassAbort);
      this.running--;
      this.pump();
    }
  }

  /**
   * Like raceAbort on the pass's signal, for the nodes that use it, with a set entry instead of an abort
   * listener per step: adding and removing listeners on a shared signal is a measurable part of a step.
   */
  private settleOnHalt<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.inFlight.add(reject);
      promise.then(
        (value) => {
          this.inFlight.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.inFlight.delete(reject);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private fail(state: NodeState, error: Error): void {
    const nodeId = this.hooks.prefix + state.node.id;
    const policy = (state.node.config.onError as FailurePolicy | undefined) ?? 'fail';
    state.status = 'done';
    this.hooks.onNodeFailed(nodeId, `${nodeId}#${state.activation + 1}`, error, policy);
    if (policy === 'route') this.complete(state, { error: { message: error.message } });
    else if (policy === 'continue') this.complete(state, {});
    else this.halt({ kind: 'failed', error: `node "${nodeId}": ${error.message}`, nodeId });
  }

  private halt(outcome: SchedulerOutcome): void {
    if (this.stop) return;
    this.stop = outcome;
    this.passController.abort(outcome.kind === 'cancelled' ? this.hooks.signal.reason : new Error('the run stopped'));
    const reason = abortReason(this.passController.signal);
    for (const reject of this.inFlight) reject(reason);
    this.inFlight.clear();
    this.pump();
  }

  private skip(state: NodeState): void {
    state.status = 'done';
    this.hooks.onNodeSkipped(this.hooks.prefix + state.node.id);
    this.complete(state, {});
  }

  private recordRunOutput(node: WorkflowNode, outputs: NodeOutputs): void {
    if (node.kind === 'output') this.outputs[String(node.config.name)] = outputs.value;
  }

  /** Hands a node's outputs to the edges leaving it; loops first reset their body for the next round. */
  private complete(state: NodeState, outputs: NodeOutputs): void {
    const { node } = state;
    state.status = 'done';
    if (node.kind === 'loop' && Object.hasOwn(outputs, 'body')) {
      state.status = 'waiting-feedback';
      this.deadFeedback.set(node.id, new Set());
      for (const id of this.loopBodies.get(node.id) ?? []) {
        const member = this.states.get(id);
        if (member) {
          member.status = 'idle';
          member.arrivals.clear();
        }
      }
    }
    for (const edge of this.outgoing.get(node.id) ?? []) {
      const live = Object.hasOwn(outputs, edge.source.port);
      // A loop going round says nothing yet about `done`, and a finished loop nothing more to its body.
      if (node.kind === 'loop' && !live && (state.status === 'waiting-feedback' || edge.source.port === 'body'))
        continue;
      this.deliver(edge, live, live ? outputs[edge.source.port] : undefined);
    }
    this.pump();
  }

  private deliver(edge: WorkflowEdge, live: boolean, value: unknown): void {
    const target = this.states.get(edge.target.node);
    if (!target) return;
    if (this.feedbackEdgeIds.has(edge.id)) {
      if (target.status !== 'waiting-feedback') return;
      if (live) {
        target.status = 'idle';
        this.activate(target, { values: { next: value }, all: { next: [value] } });
        return;
      }
      const dead = this.deadFeedback.get(target.node.id) ?? new Set<string>();
      dead.add(edge.id);
      this.deadFeedback.set(target.node.id, dead);
      if (dead.size >= (this.feedback.get(target.node.id) ?? []).length) {
        // The body produced nothing to go round with: the loop ends without a value.
        this.complete(target, {});
      }
      return;
    }
    target.arrivals.set(edge.id, { live, value });
    this.checkReady(target);
  }
}

/** Settles as soon as the signal aborts, even if the node ignores its signal. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function abortReason(signal: AbortSignal): Error {
  if (signal.reason instanceof Error && signal.reason.name !== 'Error') return signal.reason;
  return abortError();
}
