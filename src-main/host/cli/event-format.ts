import type { RunEvent } from '@shared/run-events';

const short = (value: unknown, max = 80): string => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** One line per event worth a human's attention in `warroom run` and `runs show`; token deltas are left to --json. */
export function formatEvent(event: RunEvent): string | null {
  const node = event.nodeId ?? '';
  switch (event.type) {
    case 'run.started':
    case 'run.resumed': {
      const { mode, sourceRunId } = event.data;
      const how = mode === 'normal' ? '' : ` (${mode} of ${sourceRunId ?? '?'})`;
      return `${event.type === 'run.started' ? 'started' : 'resumed'} run ${event.runId}${how}`;
    }
    case 'node.started':
      return `▶ ${node}`;
    case 'node.completed':
      return `✓ ${node}${event.data.reused ? ' (reused)' : ''} → ${short(event.data.outputs)}`;
    case 'node.failed':
      return `✗ ${node}: ${event.data.error}${event.data.policy === 'fail' ? '' : ` (${event.data.policy})`}`;
    case 'node.skipped':
      return `- ${node} skipped`;
    case 'llm.usage': {
      const { purpose, inputTokens, outputTokens, costUsd } = event.data;
      return `  ${node || (purpose ?? 'model')}: ${inputTokens} in + ${outputTokens} out tokens, $${costUsd.toFixed(4)}`;
    }
    case 'tool.call':
      return `  ${node} → ${event.data.name}(${short(event.data.input, 60)})`;
    case 'condition.decided':
      return `  ${node}: ${String(event.data.result)}${event.data.reason ? ` (${event.data.reason})` : ''}`;
    case 'approval.requested':
      return `? ${node} waits for approval: ${event.data.prompt}\n  payload: ${short(event.data.payload, 400)}`;
    case 'approval.decided':
      return `  ${node}: ${event.data.decision}`;
    case 'budget.exceeded':
      return `$ budget reached at ${node}`;
    case 'loop.guard':
      return `! ${node}: loop guard stopped ${event.data.tool} after ${event.data.count} identical calls`;
    case 'memory.injected': {
      const count = event.data.memories.length;
      return count === 0 ? null : `  ${node}: ${count} memories from project memory (${event.data.tokens} tokens)`;
    }
    case 'memory.synthesized':
      return `remembered ${event.data.memories.length} memories in "${event.data.namespace}"`;
    case 'memory.failed':
      return `! memory ${event.data.step} failed: ${event.data.error}`;
    case 'sandbox.executed': {
      const { language, termination, exitCode, durationMs } = event.data;
      const end = termination === 'exited' ? `exit ${exitCode}` : termination;
      return `  ${node}: ${language} in the sandbox, ${end} after ${Math.round(durationMs)} ms`;
    }
    case 'run.paused':
      return `paused: ${event.data.reason}`;
    case 'run.failed':
      return `failed: ${event.data.error}`;
    case 'run.cancelled':
      return 'cancelled';
    case 'run.completed':
      return `completed — $${event.data.usage.costUsd.toFixed(4)}`;
    case 'unknown':
      // Written by a newer War Room: shown as stored rather than hidden.
      return `  ${node}${node ? ' ' : ''}${event.rawType} ${short(event.data, 200)}`;
    default:
      return null;
  }
}
