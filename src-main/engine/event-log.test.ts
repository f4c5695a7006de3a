import { describe, expect, it } from 'vitest';
import { eventsOfType } from '@shared/run-events';
import type { LlmProvider, LlmRequest, LlmResponse } from '../llm/port';
import type { RolePreset } from './node-kind';
import { createHarness } from './testing/engine-harness';
import { buildWorkflow } from './testing/workflow-builder';

const MEMBERS = 100;
const TOKENS = 40;

const usage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 };
const role = (name: string): [string, RolePreset] => [
  name,
  { name, description: name, system: `ROLE:${name}`, tools: [] },
];

/** The coordinator delegates to every member in one turn; each member streams its answer token by token. */
const streamingTeamModel: LlmProvider = {
  name: 'streaming',
  complete: async (request: LlmRequest, options = {}): Promise<LlmResponse> => {
    if (request.system.startsWith('ROLE:coordinator')) {
      const content: LlmResponse['content'] =
        request.messages.length === 1
          ? Array.from({ length: MEMBERS }, (_, index) => ({
              type: 'tool_use' as const,
              id: `toolu_${index}`,
              name: 'delegate',
              input: { role: 'coder', task: `task ${index}` },
            }))
          : [{ type: 'text', text: 'done' }];
      return {
        content,
        stopReason: content[0]?.type === 'text' ? 'end_turn' : 'tool_use',
        usage,
        costUsd: 0,
        model: request.model,
      };
    }
    const task = request.messages[0]?.content[0];
    const token = `${task?.type === 'text' ? task.text : '?'}; `;
    // One token per turn of the event loop, every member at once.
    for (let index = 0; index < TOKENS; index++) {
      options.onTextDelta?.(token);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return {
      content: [{ type: 'text', text: token.repeat(TOKENS) }],
      stopReason: 'end_turn',
      usage,
      costUsd: 0,
      model: request.model,
    };
  },
};

describe('run event log', () => {
  it('coalesces token deltas while 100 team members stream at once, losing none', async () => {
    const { runToEnd, events } = createHarness({
      llm: streamingTeamModel,
      roles: new Map([role('coordinator'), role('coder')]),
      maxConcurrency: MEMBERS,
    });
    const workflow = buildWorkflow(
      [
        ['goal', 'input', { name: 'goal' }],
        [
          'crew',
          'team',
          { topology: 'hierarchical', prompt: '{{in}}', members: [{ role: 'coder' }], maxAgents: MEMBERS + 1 },
        ],
        ['result', 'output', { name: 'result' }],
      ],
      ['goal.value -> crew.in', 'crew.out -> result.value'],
    );
    const run = await runToEnd(workflow, { goal: 'x' });
    expect(run.status).toBe('completed');
    const deltas = eventsOfType(events(run.id), 'llm.delta');
    const streamed = new Map<string, string>();
    for (const delta of deltas)
      streamed.set(delta.nodeId ?? '', (streamed.get(delta.nodeId ?? '') ?? '') + delta.data.text);
    expect(streamed.size).toBe(MEMBERS);
    for (const text of streamed.values()) {
      const token = text.slice(0, text.indexOf('; ') + 2);
      expect(token).toMatch(/^task \d+; $/);
      expect(text).toBe(token.repeat(TOKENS));
    }
    // 4,000 tokens: a row per member per 100 ms flush (about three here), not one per token.
    expect(deltas.length).toBeLessThanOrEqual(MEMBERS * 10);
  });
});
