import type { RunEvent } from '@shared/run-events';

const short = (value: unknown, max = 80): string => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

const usd = (costUsd: number) => `$${costUsd.toFixed(4)}`;

/**
 * Formats a run's events in order for `warroom run` and `runs show`. A team's work is indented under its
 * team, one level per delegation: each task's lines, and its member's own events (node ids
 * `<team>/<taskId>`) one level deeper still.
 */
export function createEventFormatter(): (event: RunEvent) => string | null {
  const depthOfMember = new Map<string, number>();
  return (event) => {
    const line = formatEvent(event);
    if (line === null) return null;
    const member = memberNodeIdOf(event);
    if (event.type === 'team.task.created' && member !== null) depthOfMember.set(member, event.data.depth);
    const depth = member === null ? undefined : depthOfMember.get(member);
    return depth === undefined ? line : indent(line, '  '.repeat(depth + 1));
  };
}

function memberNodeIdOf(event: RunEvent): string | null {
  switch (event.type) {
    case 'team.task.created':
    case 'team.task.completed':
    case 'team.task.failed':
      return `${event.nodeId ?? ''}/${event.data.taskId}`;
    default:
      return event.nodeId;
  }
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}

/** One line per event worth a human's attention; token deltas are left to --json. */
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
      return `  ${node || (purpose ?? 'model')}: ${inputTokens} in + ${outputTokens} out tokens, ${usd(costUsd)}`;
    }
    case 'tool.call':
      return `  ${node} → ${event.data.name}(${short(event.data.input, 60)})`;
    case 'condition.decided':
      return `  ${node}: ${String(event.data.result)}${event.data.reason ? ` (${event.data.reason})` : ''}`;
    case 'approval.requested':
      return `? ${node} waits for approval: ${event.data.prompt}\n  payload: ${short(event.data.payload, 400)}`;
    case 'approval.decided':
      return `  ${node}: ${event.data.decision}`;
    case 'breakpoint.hit': {
      const { kind, iteration, tool, pending, cause } = event.data;
      const where =
        kind === 'node'
          ? `before ${node}`
          : kind === 'loop'
            ? `before iteration ${iteration ?? '?'} of ${node}`
            : `before ${node} calls ${tool?.name ?? 'a tool'}`;
      return `‖ paused ${where}${cause === 'step' ? ' (step)' : ''}\n  ${kind === 'tool' ? 'arguments' : 'input'}: ${short(pending, 400)}`;
    }
    case 'breakpoint.resumed':
      return `  ${node}: ${event.data.action}${Object.hasOwn(event.data, 'edited') ? ` with ${short(event.data.edited, 80)}` : ''}`;
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
    case 'team.task.created':
      return `▶ ${node}/${event.data.taskId} ${event.data.role}: ${short(event.data.task, 70)}`;
    case 'team.task.completed':
      return `✓ ${node}/${event.data.taskId} → ${short(event.data.result, 60)} (${usd(event.data.usage.costUsd)})`;
    case 'team.task.failed':
      return `✗ ${node}/${event.data.taskId}: ${event.data.error}`;
    case 'team.message.posted':
      return `  ${node} round ${event.data.round}: ${event.data.from} → ${event.data.to}: ${short(event.data.text, 70)}`;
    case 'team.member.agreed':
      return `  ${node} round ${event.data.round}: ${event.data.member} agrees${event.data.reason ? ` (${short(event.data.reason, 60)})` : ''}`;
    case 'team.round.completed':
      return `  ${node} round ${event.data.round} ${event.data.agreed ? 'ends in agreement' : 'ends without agreement'}`;
    case 'team.vote.cast':
      return `  ${node}: ${event.data.voter} votes ${short(event.data.answer, 60)}`;
    case 'team.vote.abstained':
      return `  ${node}: ${event.data.voter} abstains (${event.data.reason})`;
    case 'team.vote.decided': {
      const { method, winner, reason } = event.data;
      return `  ${node}: by ${method}, ${winner === null ? 'no winner' : short(winner, 60)}${reason ? ` — ${short(reason, 80)}` : ''}`;
    }
    case 'team.scratchpad.set':
      return `  ${node}: ${event.data.by} remembers ${event.data.key} = ${short(event.data.value, 60)}`;
    case 'run.paused':
      return `paused: ${event.data.reason}`;
    case 'run.failed':
      return `failed: ${event.data.error}`;
    case 'run.cancelled':
      return 'cancelled';
    case 'run.completed':
      return `completed — ${usd(event.data.usage.costUsd)}`;
    case 'unknown':
      // Written by a newer War Room: shown as stored rather than hidden.
      return `  ${node}${node ? ' ' : ''}${event.rawType} ${short(event.data, 200)}`;
    default:
      return null;
  }
}
