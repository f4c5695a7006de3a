import path from 'node:path';
import type { Workflow } from '@shared/workflow';
import { loadRolePresets, shippedResourcesDir } from '../engine/roles';
import { buildWorkflow } from '../engine/testing/workflow-builder';
import type { FakeReply, FakeRequest, FakeScript } from '../llm/testing/fake-anthropic-server';

/**
 * Test support: a coordinator-led team on the fake Messages API. Requests are told apart by the shipped
 * role presets' system prompts (a member's system prompt starts with its role's), as the app loads them.
 */
const shippedRoles = loadRolePresets([path.join(shippedResourcesDir(), 'roles')]);

export function roleOfRequest(request: FakeRequest): string {
  const { system } = request.body;
  const text = Array.isArray(system)
    ? system.map((block) => String((block as { text?: unknown }).text ?? '')).join('')
    : String(system ?? '');
  return [...shippedRoles.values()].find((role) => text.startsWith(role.system))?.name ?? 'unknown';
}

/** The task a member was given, or any agent's prompt: the first user message (sent as a string or as blocks). */
export function taskOfRequest(request: FakeRequest | undefined): string {
  const content = request?.body.messages[0]?.content;
  return Array.isArray(content) ? String((content[0] as { text?: unknown }).text ?? '') : String(content);
}

/**
 * Input `task` → team `crew` (hierarchical: the coordinator and the given members, unless `config` sets
 * another topology) → output `result`, from the team's `out` port or its `detail`.
 */
export function teamWorkflow(
  members: string[],
  config: Record<string, unknown> = {},
  resultPort: 'out' | 'detail' = 'out',
): Workflow {
  return buildWorkflow(
    [
      ['task', 'input', { name: 'task' }],
      [
        'crew',
        'team',
        { topology: 'hierarchical', prompt: '{{in}}', members: members.map((role) => ({ role })), ...config },
      ],
      ['result', 'output', { name: 'result' }],
    ],
    ['task.value -> crew.in', `crew.${resultPort} -> result.value`],
    'team-workflow',
  );
}

/**
 * The coordinator's first turn delegates every `[role, task]` at once (parallel tool use); its next turn
 * answers with what came back. Members answer with `memberReply` (by default `<role> did: <task>`).
 */
export function delegatingScript(
  delegations: Array<[role: string, task: string]>,
  memberReply: (request: FakeRequest, role: string) => FakeReply = (request, role) => ({
    text: `${role} did: ${taskOfRequest(request)}`,
  }),
): FakeScript {
  return (request) => {
    const role = roleOfRequest(request);
    if (role !== 'coordinator') return memberReply(request, role);
    if (request.body.messages.length === 1) {
      return {
        toolUses: delegations.map(([member, task], index) => ({
          id: `toolu_delegate_${index + 1}`,
          name: 'delegate',
          input: { role: member, task },
        })),
      };
    }
    return { text: `team done after ${request.body.messages.length} messages` };
  };
}
