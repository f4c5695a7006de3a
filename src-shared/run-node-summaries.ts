import { z } from 'zod';
import type { RunEvent } from './run-events';

/**
 * What each node of a finished (or stopped) run did, folded from its events: status, when it ran, what it
 * spent, what it gave and its transcript as plain text. Run comparison and run exports read this; the
 * live run view has its own richer fold in the renderer. Team members (node ids `<team>/<task>`) get
 * their own summary, and their spending also counts towards their team's, as on the canvas.
 */

export const NodeRunOutcomeSchema = z.enum(['completed', 'failed', 'skipped', 'running', 'waiting']);
export type NodeRunOutcome = z.infer<typeof NodeRunOutcomeSchema>;

export const NodeRunSummarySchema = z.object({
  nodeId: z.string(),
  /** Set for a team member: its team's node id. */
  teamNodeId: z.string().nullable(),
  status: NodeRunOutcomeSchema,
  /** The first start and the last end (a loop body runs many times). */
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  modelCalls: z.int().nonnegative(),
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** The outputs of its last completion. */
  outputs: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  /** What the agent wrote, the tools it called and what they returned, as text (empty for non-agents). */
  transcript: z.string(),
});
export type NodeRunSummary = z.infer<typeof NodeRunSummarySchema>;

function emptySummary(nodeId: string, teamNodeId: string | null): NodeRunSummary {
  return {
    nodeId,
    teamNodeId,
    status: 'running',
    startedAt: null,
    endedAt: null,
    durationMs: null,
    modelCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    outputs: null,
    error: null,
    transcript: '',
  };
}

/** A transcript line that is not the model's own text starts on a line of its own. */
function withLine(transcript: string, line: string): string {
  const separator = transcript === '' || transcript.endsWith('\n') ? '' : '\n';
  return `${transcript}${separator}${line}\n`;
}

const compactJson = (value: unknown) => JSON.stringify(value) ?? 'undefined';

/** Every node that has an event, in the order each first appeared. */
export function summarizeNodes(events: readonly RunEvent[]): NodeRunSummary[] {
  const byNode = new Map<string, NodeRunSummary>();
  const teamOfMember = new Map<string, string>();
  const summaryOf = (nodeId: string) => {
    let summary = byNode.get(nodeId);
    if (!summary) {
      summary = emptySummary(nodeId, teamOfMember.get(nodeId) ?? null);
      byNode.set(nodeId, summary);
    }
    return summary;
  };
  const end = (summary: NodeRunSummary, at: string) => {
    summary.endedAt = at;
    summary.durationMs =
      summary.startedAt === null ? null : Math.max(0, Date.parse(at) - Date.parse(summary.startedAt));
  };

  for (const event of events) {
    const nodeId = event.nodeId;
    if (nodeId === null) continue;
    const summary = summaryOf(nodeId);
    switch (event.type) {
      case 'node.started':
        summary.status = 'running';
        summary.startedAt ??= event.at;
        summary.error = null;
        break;
      case 'node.completed':
        summary.status = 'completed';
        summary.outputs = event.data.outputs;
        end(summary, event.at);
        break;
      case 'node.failed':
        summary.status = 'failed';
        summary.error = event.data.error;
        summary.transcript = withLine(summary.transcript, `[failed] ${event.data.error}`);
        end(summary, event.at);
        break;
      case 'node.skipped':
        summary.status = 'skipped';
        break;
      case 'approval.requested':
        summary.status = 'waiting';
        break;
      case 'llm.delta':
        summary.transcript += event.data.text;
        break;
      case 'llm.usage':
        for (const spender of [summary, ...(summary.teamNodeId ? [summaryOf(summary.teamNodeId)] : [])]) {
          spender.modelCalls += 1;
          spender.inputTokens += event.data.inputTokens;
          spender.outputTokens += event.data.outputTokens;
          spender.costUsd += event.data.costUsd;
        }
        break;
      case 'tool.call':
        summary.transcript = withLine(
          summary.transcript,
          `[tool call] ${event.data.name} ${compactJson(event.data.input)}`,
        );
        break;
      case 'tool.result':
        summary.transcript = withLine(
          summary.transcript,
          `[tool ${event.data.isError ? 'error' : 'result'}] ${event.data.name}: ${event.data.output}`,
        );
        break;
      case 'team.task.created': {
        const member = `${nodeId}/${event.data.taskId}`;
        teamOfMember.set(member, nodeId);
        const known = byNode.get(member);
        if (known) known.teamNodeId = nodeId;
        break;
      }
      case 'team.task.started':
        summaryOf(`${nodeId}/${event.data.taskId}`).startedAt ??= event.at;
        break;
      case 'team.task.completed': {
        const member = summaryOf(`${nodeId}/${event.data.taskId}`);
        member.status = 'completed';
        member.outputs = { result: event.data.result };
        end(member, event.at);
        break;
      }
      case 'team.task.failed': {
        const member = summaryOf(`${nodeId}/${event.data.taskId}`);
        member.status = 'failed';
        member.error = event.data.error;
        end(member, event.at);
        break;
      }
      default:
        // Other events (memory, sandbox, conditions…) do not change a node's summary.
        break;
    }
  }
  return [...byNode.values()];
}

/** A node's outputs as text to read and diff: each port on its own, strings as they are. */
export function outputsAsText(outputs: Record<string, unknown> | null): string {
  if (outputs === null) return '';
  return Object.entries(outputs)
    .map(([port, value]) => `${port}:\n${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}`)
    .join('\n');
}
