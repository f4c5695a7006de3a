import type { InjectedMemory, RunEvent, RunEventData } from '@shared/run-events';
import { RUN_LANE_ID } from '@shared/run-timeline';

/**
 * Each agent's transcript in the war room, folded from the events of its lane (the node id its events
 * carry): the streamed text, each tool call beside its result, the memory its prompt was given, the
 * sandbox console as it streamed, and what stopped it. Incremental like the timeline: a snapshot's
 * transcripts are new arrays only for the agents that changed since the last one.
 */

export interface ConsoleChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export type AgentEntry =
  | { kind: 'text'; text: string }
  | { kind: 'tool'; seq: number; name: string; input: unknown; output: string | null; isError: boolean }
  | { kind: 'memory'; tokens: number; memories: readonly InjectedMemory[] }
  | {
      kind: 'console';
      seq: number;
      language: 'python' | 'node';
      /** What streamed while it ran (empty for an execution re-used from the journal). */
      chunks: readonly ConsoleChunk[];
      result: Omit<RunEventData<'sandbox.executed'>, 'scope'> | null;
    }
  | { kind: 'note'; text: string; isError: boolean }
  | { kind: 'unreadable'; seq: number; rawType: string; data: string; problem: string };

type ConsoleEntry = Extract<AgentEntry, { kind: 'console' }>;
type ToolEntry = Extract<AgentEntry, { kind: 'tool' }>;

export class TranscriptFold {
  private readonly entries = new Map<string, AgentEntry[]>();
  /** Tool calls waiting for their results, by lane and call id. */
  private readonly pendingTools = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private last: Readonly<Record<string, readonly AgentEntry[]>> = {};

  apply(event: RunEvent): void {
    const lane = event.nodeId ?? RUN_LANE_ID;
    switch (event.type) {
      case 'llm.delta':
        this.appendText(lane, event.data.text);
        break;
      case 'tool.call': {
        const { id, name, input } = event.data;
        const index = this.push(lane, { kind: 'tool', seq: event.seq, name, input, output: null, isError: false });
        this.pendingTools.set(`${lane}|${id ?? name}`, index);
        break;
      }
      case 'tool.result': {
        const { id, name, output, isError } = event.data;
        const key = `${lane}|${id ?? name}`;
        const index = this.pendingTools.get(key);
        this.pendingTools.delete(key);
        const call = index === undefined ? undefined : this.entries.get(lane)?.[index];
        if (index !== undefined && call?.kind === 'tool') this.replace(lane, index, { ...call, output, isError });
        else
          this.push(lane, {
            kind: 'tool',
            seq: event.seq,
            name,
            input: undefined,
            output,
            isError,
          } satisfies ToolEntry);
        break;
      }
      case 'memory.injected':
        this.push(lane, { kind: 'memory', tokens: event.data.tokens, memories: event.data.memories });
        break;
      case 'sandbox.started':
        this.push(lane, { kind: 'console', seq: event.seq, language: event.data.language, chunks: [], result: null });
        break;
      case 'sandbox.output': {
        const open = this.openConsole(lane);
        if (!open) break;
        const [index, entry] = open;
        const chunk = { stream: event.data.stream, text: event.data.text };
        this.replace(lane, index, { ...entry, chunks: [...entry.chunks, chunk] });
        break;
      }
      case 'sandbox.executed': {
        const { scope: _scope, ...result } = event.data;
        const open = this.openConsole(lane);
        if (open) this.replace(lane, open[0], { ...open[1], result });
        else this.push(lane, { kind: 'console', seq: event.seq, language: result.language, chunks: [], result });
        break;
      }
      case 'approval.requested':
        this.note(lane, `Waiting for approval: ${event.data.prompt}`);
        break;
      case 'approval.decided': {
        const reason = event.data.decision === 'reject' && event.data.reason ? ` (${event.data.reason})` : '';
        this.note(lane, `Decision: ${event.data.decision}${reason}`);
        break;
      }
      case 'condition.decided':
        this.note(lane, `Decided: ${event.data.result}${event.data.reason ? ` (${event.data.reason})` : ''}`);
        break;
      case 'budget.exceeded': {
        const { scope, spent } = event.data;
        this.note(lane, `Budget reached (${scope}): $${spent.usd.toFixed(4)}, ${spent.tokens} tokens`, true);
        break;
      }
      case 'loop.guard':
        this.note(lane, `Loop guard: ${event.data.tool} called ${event.data.count} times with the same input`, true);
        break;
      case 'memory.failed':
        this.note(lane, `Memory ${event.data.step} failed: ${event.data.error}`, true);
        break;
      case 'node.failed':
        this.note(lane, event.data.error, true);
        break;
      case 'team.task.failed':
        this.note(`${lane}/${event.data.taskId}`, event.data.error, true);
        break;
      case 'unknown':
        this.push(lane, {
          kind: 'unreadable',
          seq: event.seq,
          rawType: event.rawType,
          data: JSON.stringify(event.data) ?? 'undefined',
          problem: event.problem,
        });
        break;
      default:
        break;
    }
  }

  snapshot(): Readonly<Record<string, readonly AgentEntry[]>> {
    if (this.dirty.size === 0) return this.last;
    const next: Record<string, readonly AgentEntry[]> = { ...this.last };
    for (const lane of this.dirty) next[lane] = [...(this.entries.get(lane) ?? [])];
    this.dirty.clear();
    this.last = next;
    return next;
  }

  private note(lane: string, text: string, isError = false): void {
    this.push(lane, { kind: 'note', text, isError });
  }

  private push(lane: string, entry: AgentEntry): number {
    let entries = this.entries.get(lane);
    if (!entries) {
      entries = [];
      this.entries.set(lane, entries);
    }
    entries.push(entry);
    this.dirty.add(lane);
    return entries.length - 1;
  }

  /** Entries are replaced, never changed, so an earlier snapshot keeps what it showed. */
  private replace(lane: string, index: number, entry: AgentEntry): void {
    const entries = this.entries.get(lane);
    if (!entries) return;
    entries[index] = entry;
    this.dirty.add(lane);
  }

  private appendText(lane: string, text: string): void {
    const entries = this.entries.get(lane);
    const last = entries?.at(-1);
    if (entries && last?.kind === 'text')
      this.replace(lane, entries.length - 1, { kind: 'text', text: last.text + text });
    else this.push(lane, { kind: 'text', text });
  }

  /** The lane's console still running (the last one, without a result). */
  private openConsole(lane: string): [number, ConsoleEntry] | null {
    const entries = this.entries.get(lane) ?? [];
    for (let index = entries.length - 1; index >= 0; index--) {
      const entry = entries[index];
      if (entry?.kind === 'console') return entry.result === null ? [index, entry] : null;
    }
    return null;
  }
}
