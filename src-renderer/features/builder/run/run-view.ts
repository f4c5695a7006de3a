import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Run, RunStatus } from '@shared/runs';
import type { RunEvent } from '@shared/run-events';

/**
 * What the canvas shows of one run, folded from its event stream only (the same stream the CLI and
 * replay read). Pure: `applyRunEvent` is unit-tested; the store wraps it for the view.
 */

export type NodeRunStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped';

export type TranscriptEntry =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; name: string; input: unknown }
  | { kind: 'tool-result'; name: string; output: string; isError: boolean }
  | { kind: 'note'; text: string };

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
  outputs: Record<string, unknown>;
  error: string | null;
  pauseReason: string | null;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
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
    outputs: run?.outputs ?? {},
    error: run?.error ?? null,
    pauseReason: run?.pauseReason ?? null,
    usage: run?.usage ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  };
}

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function appendText(transcript: TranscriptEntry[], text: string): TranscriptEntry[] {
  const last = transcript.at(-1);
  if (last?.kind === 'text') return [...transcript.slice(0, -1), { kind: 'text', text: last.text + text }];
  return [...transcript, { kind: 'text', text }];
}

/** Folds one event into the view. Events at or below `lastSeq` are ignored (a replayed reconnect). */
export function applyRunEvent(state: RunViewState, event: RunEvent): RunViewState {
  if (event.seq <= state.lastSeq) return state;
  const at = Date.parse(event.at);
  let next: RunViewState = { ...state, lastSeq: event.seq };
  const updateNode = (change: (node: NodeRunView) => NodeRunView) => {
    if (!event.nodeId) return;
    const current = next.nodes[event.nodeId] ?? emptyNodeView();
    next = { ...next, nodes: { ...next.nodes, [event.nodeId]: change(current) } };
  };
  const data = event.data;

  switch (event.type) {
    case 'run.started':
    case 'run.resumed':
      next = { ...next, status: 'running', pauseReason: null };
      break;
    case 'run.completed':
      next = { ...next, status: 'completed', outputs: (data.outputs as Record<string, unknown>) ?? {} };
      break;
    case 'run.failed':
      next = { ...next, status: 'failed', error: str(data.error) };
      break;
    case 'run.paused':
      next = { ...next, status: 'paused', pauseReason: str(data.reason) };
      break;
    case 'run.cancelled':
      next = { ...next, status: 'cancelled' };
      break;
    case 'node.started':
      updateNode((node) => ({
        ...node,
        status: 'running',
        startedAt: node.status === 'running' ? node.startedAt : at,
        endedAt: null,
        error: null,
      }));
      break;
    case 'node.completed':
      updateNode((node) => ({
        ...node,
        status: 'completed',
        endedAt: at,
        approval: null,
        outputs: (data.outputs as Record<string, unknown>) ?? null,
      }));
      break;
    case 'node.failed':
      updateNode((node) => ({ ...node, status: 'failed', endedAt: at, error: str(data.error) }));
      break;
    case 'node.skipped':
      updateNode((node) => ({ ...node, status: 'skipped', endedAt: at }));
      break;
    case 'llm.delta':
      updateNode((node) => ({ ...node, transcript: appendText(node.transcript, str(data.text)) }));
      break;
    case 'llm.usage':
      updateNode((node) => ({
        ...node,
        inputTokens: node.inputTokens + num(data.inputTokens),
        outputTokens: node.outputTokens + num(data.outputTokens),
        costUsd: node.costUsd + num(data.costUsd),
      }));
      next = {
        ...next,
        usage: {
          inputTokens: next.usage.inputTokens + num(data.inputTokens),
          outputTokens: next.usage.outputTokens + num(data.outputTokens),
          costUsd: next.usage.costUsd + num(data.costUsd),
        },
      };
      break;
    case 'tool.call':
      updateNode((node) => ({
        ...node,
        transcript: [...node.transcript, { kind: 'tool-call', name: str(data.name), input: data.input }],
      }));
      break;
    case 'tool.result':
      updateNode((node) => ({
        ...node,
        transcript: [
          ...node.transcript,
          { kind: 'tool-result', name: str(data.name), output: str(data.output ?? ''), isError: data.isError === true },
        ],
      }));
      break;
    case 'approval.requested':
      next = { ...next, status: 'waiting' };
      updateNode((node) => ({
        ...node,
        status: 'waiting',
        approval: { prompt: str(data.prompt ?? 'Approve?'), payload: data.payload },
      }));
      break;
    case 'approval.decided':
      next = { ...next, status: 'running' };
      updateNode((node) => ({
        ...node,
        status: 'running',
        approval: null,
        transcript: [...node.transcript, { kind: 'note', text: `Decision: ${str(data.decision)}` }],
      }));
      break;
    case 'condition.decided':
      updateNode((node) => ({
        ...node,
        transcript: [...node.transcript, { kind: 'note', text: `Decided: ${JSON.stringify(data)}` }],
      }));
      break;
    case 'budget.exceeded':
      updateNode((node) => ({
        ...node,
        transcript: [...node.transcript, { kind: 'note', text: `Budget reached: ${JSON.stringify(data)}` }],
      }));
      break;
    case 'memory.injected': {
      const memories = Array.isArray(data.memories) ? data.memories : [];
      updateNode((node) => ({
        ...node,
        transcript: [
          ...node.transcript,
          { kind: 'note', text: `Memory: ${memories.length} item(s) added to the prompt (${num(data.tokens)} tokens)` },
        ],
      }));
      break;
    }
    case 'memory.synthesized':
    case 'memory.failed':
    case 'loop.guard':
    case 'loop.iteration':
      updateNode((node) => ({
        ...node,
        transcript: [...node.transcript, { kind: 'note', text: `${event.type}: ${JSON.stringify(data)}` }],
      }));
      break;
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
