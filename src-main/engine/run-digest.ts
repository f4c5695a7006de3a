import type { RunEvent } from '@shared/run-events';

/** What memory synthesis reads about a run: a transcript built from its events, and two facts about it. */
export interface RunDigest {
  /** One line per step (node results and failures, tool calls and results, decisions), oldest first. */
  transcript: string;
  /** Some node called a model; a run without one has no agent work worth summarising. */
  usedModel: boolean;
  /**
   * Some error was got past: a failed node scope that later completed (a resumed run), or a tool error
   * followed by a successful call of the same agent. What makes a failed run worth remembering.
   */
  recovered: boolean;
}

const MAX_LINE_CHARS = 1000;

/**
 * Builds the transcript from the run's persisted events. Lines repeat when a resumed pass re-reports
 * reused results or journaled tool calls, so duplicates are dropped: the digest of a run is the same
 * whether it ran in one pass or several, which keeps its synthesis journal key stable.
 */
export function digestRun(events: readonly RunEvent[]): RunDigest {
  const lines = new Set<string>();
  const failedScopes = new Set<string>();
  const nodesWithToolErrors = new Set<string>();
  let usedModel = false;
  let recovered = false;
  for (const event of events) {
    const node = event.nodeId ?? 'run';
    switch (event.type) {
      case 'llm.usage':
        usedModel = true;
        break;
      case 'node.completed':
        if (failedScopes.has(event.data.scope)) recovered = true;
        lines.add(`${node} → ${clip(JSON.stringify(event.data.outputs))}`);
        break;
      case 'node.failed':
        failedScopes.add(event.data.scope);
        lines.add(`${node} failed: ${clip(event.data.error)}`);
        break;
      case 'tool.call':
        lines.add(`${node} calls ${event.data.name} ${clip(JSON.stringify(event.data.input ?? {}))}`);
        break;
      case 'tool.result': {
        const { isError, name, output } = event.data;
        if (isError) nodesWithToolErrors.add(node);
        else if (nodesWithToolErrors.has(node)) recovered = true;
        lines.add(`${node} ${name} ${isError ? 'error' : 'result'}: ${clip(output)}`);
        break;
      }
      case 'condition.decided':
      case 'approval.decided':
      case 'loop.guard': {
        const { scope: _scope, ...details } = event.data;
        lines.add(`${node} ${event.type}: ${clip(JSON.stringify(details))}`);
        break;
      }
      default:
        break;
    }
  }
  return { transcript: [...lines].join('\n'), usedModel, recovered };
}

function clip(text: string): string {
  return text.length <= MAX_LINE_CHARS ? text : `${text.slice(0, MAX_LINE_CHARS)}…`;
}
