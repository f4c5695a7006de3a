import { describe, expect, it } from 'vitest';
import { eventsOfType } from '@shared/run-events';
import type { LlmRequest } from '../../../llm/port';
import type { RolePreset } from '../../node-kind';
import { cancelAfter, createHarness } from '../../testing/engine-harness';
import { ScriptedLlm, type ScriptedAnswer } from '../../testing/scripted-llm';
import { buildWorkflow } from '../../testing/workflow-builder';

/** Team topologies through the engine, on the scripted model: each role answers by its system prompt. */
const role = (name: string, tools: string[] = []): [string, RolePreset] => [
  name,
  { name, description: `the ${name}`, system: `ROLE:${name}`, tools },
];
const roles = new Map([
  role('coordinator'),
  role('planner'),
  role('coder'),
  role('reviewer'),
  role('architect'),
  role('security'),
]);
const roleOf = (request: LlmRequest) => /ROLE:(\w+)/.exec(request.system)?.[1] ?? '?';
const taskOf = (request: LlmRequest) => {
  const first = request.messages[0]?.content[0];
  return first?.type === 'text' ? first.text : '';
};
const turnOf = (request: LlmRequest) => request.messages.filter((message) => message.role === 'assistant').length;
const delegate = (id: string, roleName: string, task: string) => ({
  id,
  name: 'delegate',
  input: { role: roleName, task },
});
const lastResults = (request: LlmRequest) =>
  (request.messages.at(-1)?.content ?? []).flatMap((block) =>
    block.type === 'tool_result' ? [{ content: block.content, isError: block.isError === true }] : [],
  );

const teamFlow = (config: Record<string, unknown>) =>
  buildWorkflow(
    [
      ['goal', 'input', { name: 'goal' }],
      ['crew', 'team', { prompt: '{{in}}', ...config }],
      ['result', 'output', { name: 'result' }],
      ['detail', 'output', { name: 'detail' }],
    ],
    ['goal.value -> crew.in', 'crew.out -> result.value', 'crew.detail -> detail.value'],
  );

const hierarchical = (extra: Record<string, unknown> = {}) =>
  teamFlow({ topology: 'hierarchical', members: [{ role: 'planner' }, { role: 'coder' }], ...extra });

describe('team: hierarchical', () => {
  it('runs two delegations of one turn concurrently and records the task tree', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      if (roleOf(request) !== 'coordinator')
        return { text: `${roleOf(request)} did: ${taskOf(request)}`, delayMs: 300 };
      return turnOf(request) === 0
        ? { toolUses: [delegate('d1', 'planner', 'plan the cart'), delegate('d2', 'coder', 'write the cart')] }
        : {
            text: `combined: ${lastResults(request)
              .map((result) => result.content)
              .join(' | ')}`,
          };
    });
    const { runToEnd, events } = createHarness({ llm, roles, maxConcurrency: 4 });
    const started = Date.now();
    const run = await runToEnd(hierarchical(), { goal: 'a cart' });
    expect(Date.now() - started).toBeLessThan(550);
    expect(run.status).toBe('completed');
    expect(run.outputs.result).toBe('combined: planner did: plan the cart | coder did: write the cart');
    const detail = run.outputs.detail as {
      tasks: Array<{ id: string; role: string; children: Array<{ id: string; role: string; status: string }> }>;
    };
    expect(detail.tasks).toHaveLength(1);
    expect(detail.tasks[0]?.role).toBe('coordinator');
    expect(detail.tasks[0]?.children.map((child) => [child.id, child.role, child.status])).toEqual([
      ['1.1', 'planner', 'completed'],
      ['1.2', 'coder', 'completed'],
    ]);
    const all = events(run.id);
    expect(eventsOfType(all, 'team.task.created').map((event) => [event.data.taskId, event.data.parentId])).toEqual([
      ['1', null],
      ['1.1', '1'],
      ['1.2', '1'],
    ]);
    // Each member's model calls are its own: events under the member's node id.
    expect(
      eventsOfType(all, 'llm.usage')
        .map((event) => event.nodeId)
        .sort(),
    ).toEqual(['crew/1', 'crew/1', 'crew/1.1', 'crew/1.2']);
  });

  it('refuses delegations to an unknown role, past the agent cap or the depth, and the same task twice', async () => {
    const seen: Array<Array<{ content: string; isError: boolean }>> = [];
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      const who = roleOf(request);
      if (who === 'planner') {
        return turnOf(request) === 0 ? { toolUses: [delegate('p1', 'coder', 'go deeper')] } : { text: 'planned' };
      }
      if (who === 'coder') return { text: 'coded' };
      if (turnOf(request) === 0) {
        return {
          toolUses: [
            delegate('a', 'planner', 'plan'),
            delegate('b', 'designer', 'draw'),
            delegate('c', 'coder', 'code'),
            delegate('d', 'coder', 'code'),
            delegate('e', 'coder', 'more code'),
          ],
        };
      }
      seen.push(lastResults(request));
      return { text: 'done' };
    });
    const { runToEnd } = createHarness({ llm, roles });
    const run = await runToEnd(hierarchical({ maxAgents: 3, allowMemberDelegation: true, maxDepth: 1 }), { goal: 'x' });
    expect(run.status).toBe('completed');
    const results = seen[0] ?? [];
    expect(results.map((result) => result.isError)).toEqual([false, true, false, true, true]);
    expect(results[1]?.content).toMatch(/no member of this team has the role "designer"/);
    expect(results[3]?.content).toMatch(/already delegated to coder/);
    expect(results[4]?.content).toMatch(/at most 3 agents/);
    // maxDepth 1: the planner is at depth 1 and gets no delegate tool at all.
    const plannerCalls = llm.calls.filter((request) => roleOf(request) === 'planner');
    expect(plannerCalls[0]?.tools.map((tool) => tool.name)).not.toContain('delegate');
  });

  it('lets members delegate further within maxDepth', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      const who = roleOf(request);
      if (who === 'coordinator')
        return turnOf(request) === 0 ? { toolUses: [delegate('a', 'planner', 'plan')] } : { text: 'ok' };
      if (who === 'planner') {
        return turnOf(request) === 0
          ? { toolUses: [delegate('b', 'coder', 'code it'), delegate('c', 'coder', 'code it again')] }
          : { text: 'planned' };
      }
      return turnOf(request) === 0 && who === 'coder' && request.tools.some((tool) => tool.name === 'delegate')
        ? { toolUses: [delegate('d', 'planner', 'too deep')] }
        : { text: 'coded' };
    });
    const { runToEnd, events } = createHarness({ llm, roles });
    const run = await runToEnd(hierarchical({ allowMemberDelegation: true, maxDepth: 2 }), { goal: 'x' });
    expect(run.status).toBe('completed');
    expect(
      eventsOfType(events(run.id), 'team.task.created').map((event) => [event.data.taskId, event.data.depth]),
    ).toEqual([
      ['1', 0],
      ['1.1', 1],
      ['1.1.1', 2],
      ['1.1.2', 2],
    ]);
  });

  it('replays a team run with zero model calls and the same tree, and forks from the team node', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      if (roleOf(request) !== 'coordinator') return { text: `${roleOf(request)}: ${taskOf(request)}` };
      return turnOf(request) === 0
        ? { toolUses: [delegate('d1', 'planner', `plan ${taskOf(request)}`)] }
        : { text: `final ${lastResults(request)[0]?.content ?? ''}` };
    });
    const { engine, runToEnd, events } = createHarness({ llm, roles });
    const original = await runToEnd(hierarchical(), { goal: 'tea' });
    const calls = llm.calls.length;
    const replay = await engine.wait(engine.replay(original.id).id);
    expect(replay.status).toBe('completed');
    expect(llm.calls.length).toBe(calls);
    expect(replay.outputs).toEqual(original.outputs);
    const tree = (runId: string) =>
      eventsOfType(events(runId), 'team.task.created').map((event) => [
        event.data.taskId,
        event.data.role,
        event.data.task,
      ]);
    expect(tree(replay.id)).toEqual(tree(original.id));

    const fork = await engine.wait(engine.fork(original.id, 'crew', 'coffee').id);
    expect(fork.outputs.result).toBe('final planner: plan coffee');
    expect(llm.calls.length - calls).toBe(3);
  });

  it('pauses at a member budget naming the member, and fails the team on a member failure when asked', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      if (roleOf(request) === 'coder') return { text: 'pricey', costUsd: 1 };
      return turnOf(request) === 0 ? { toolUses: [delegate('d1', 'coder', 'code')] } : { text: 'done' };
    });
    const { runToEnd, events } = createHarness({ llm, roles });
    const paused = await runToEnd(hierarchical({ members: [{ role: 'coder', budget: { maxUsd: 0.5 } }] }), {
      goal: 'x',
    });
    expect(paused.status).toBe('paused');
    expect(paused.pauseReason).toMatch(/^node "crew\/1\.1" budget reached/);
    expect(eventsOfType(events(paused.id), 'budget.exceeded')[0]?.nodeId).toBe('crew/1.1');

    const teamBudget = await runToEnd(hierarchical({ members: [{ role: 'coder' }], budget: { maxUsd: 0.5 } }), {
      goal: 'y',
    });
    expect(teamBudget.status).toBe('paused');
    expect(teamBudget.pauseReason).toMatch(/crew\/1\.1/);

    const failing = new ScriptedLlm((request): ScriptedAnswer => {
      if (roleOf(request) === 'coder') throw new Error('the coder crashed');
      return turnOf(request) === 0 ? { toolUses: [delegate('d1', 'coder', 'code')] } : { text: 'done' };
    });
    const reported = await createHarness({ llm: failing, roles }).runToEnd(hierarchical(), { goal: 'z' });
    expect(reported.status).toBe('completed');
    const failed = await createHarness({ llm: failing, roles }).runToEnd(hierarchical({ onMemberError: 'fail' }), {
      goal: 'z',
    });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/the coder crashed/);
  });

  it('resumes a run paused at the run budget without repeating completed member calls', async () => {
    let coderCalls = 0;
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      if (roleOf(request) === 'coder') coderCalls++;
      if (roleOf(request) !== 'coordinator') return { text: `${roleOf(request)} done`, costUsd: 0.4 };
      return turnOf(request) === 0
        ? { toolUses: [delegate('d1', 'planner', 'plan')] }
        : turnOf(request) === 1
          ? { toolUses: [delegate('d2', 'coder', 'code')] }
          : { text: 'all done' };
    });
    const { engine, runToEnd } = createHarness({ llm, roles, budget: { maxUsd: 0.5 } });
    const paused = await runToEnd(hierarchical(), { goal: 'x' });
    expect(paused.status).toBe('paused');
    const before = llm.calls.length;
    const resumed = await engine.wait(engine.resume(paused.id, { maxUsd: 10 }).id);
    expect(resumed.status).toBe('completed');
    // The call that crossed the budget completed and was journaled: the resume re-uses it and every
    // call before it, and only the coordinator's last turn is new.
    expect(coderCalls).toBe(1);
    expect(llm.calls.slice(before).map(roleOf)).toEqual(['coordinator']);
  });

  it('cancels every member within a second', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer =>
      roleOf(request) === 'coordinator' && turnOf(request) === 0
        ? { toolUses: [delegate('a', 'planner', 'p'), delegate('b', 'coder', 'c')] }
        : { text: 'slow', delayMs: 10_000 },
    );
    const { engine } = createHarness({ llm, roles });
    const run = engine.start({ workflow: hierarchical(), inputs: { goal: 'x' }, projectDir: '/tmp' });
    const { run: finished, cancelMs } = await cancelAfter(engine, run.id);
    expect(cancelMs).toBeLessThan(1000);
    expect(finished.status).toBe('cancelled');
  });
});

describe('team: mesh', () => {
  const mesh = (extra: Record<string, unknown> = {}) =>
    teamFlow({ topology: 'mesh', members: [{ role: 'architect' }, { role: 'security' }], ...extra });

  it('ends when every member agrees, with the board in member order', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      const who = roleOf(request);
      const round = Number(/Round (\d+)/.exec(taskOf(request))?.[1]);
      if (turnOf(request) > 0) return { text: `${who} position r${round}` };
      return round === 1
        ? { toolUses: [{ id: `p-${who}`, name: 'post_message', input: { text: `${who} opens` } }] }
        : {
            toolUses: [
              { id: `m-${who}`, name: 'post_message', input: { to: 'all', text: `${who} fine` } },
              { id: `a-${who}`, name: 'agree', input: { reason: 'ok' } },
            ],
          };
    });
    const { runToEnd, events } = createHarness({ llm, roles });
    const run = await runToEnd(mesh({ maxRounds: 5 }), { goal: 'design' });
    expect(run.status).toBe('completed');
    const detail = run.outputs.detail as {
      agreed: boolean;
      rounds: number;
      board: Array<{ from: string; text: string }>;
    };
    expect(detail.agreed).toBe(true);
    expect(detail.rounds).toBe(2);
    expect(detail.board.map((message) => message.text)).toEqual([
      'architect opens',
      'security opens',
      'architect fine',
      'security fine',
    ]);
    // Round 2 prompts show the board of round 1.
    const secondRound = llm.calls.filter((request) => taskOf(request).includes('Round 2'));
    expect(taskOf(secondRound[0] as LlmRequest)).toContain('architect → all: architect opens');
    expect(eventsOfType(events(run.id), 'team.round.completed').map((event) => event.data.agreed)).toEqual([
      false,
      true,
    ]);
  });

  it('stops after maxRounds without agreement and says so', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer => ({ text: `${roleOf(request)} disagrees` }));
    const { runToEnd } = createHarness({ llm, roles });
    const run = await runToEnd(mesh({ maxRounds: 2 }), { goal: 'design' });
    expect(run.status).toBe('completed');
    expect(run.outputs.detail).toMatchObject({ agreed: false, rounds: 2 });
    expect(run.outputs.result).toContain('## architect\narchitect disagrees');
  });
});

describe('team: vote', () => {
  const vote = (extra: Record<string, unknown> = {}) =>
    teamFlow({ topology: 'vote', members: [{ role: 'planner' }, { role: 'coder' }, { role: 'reviewer' }], ...extra });

  it('picks the majority answer, and fails without one', async () => {
    const answers: Record<string, string> = { planner: 'Redis', coder: 'redis.', reviewer: 'Postgres' };
    const llm = new ScriptedLlm((request): ScriptedAnswer => ({ text: answers[roleOf(request)] ?? '?' }));
    const { runToEnd, events } = createHarness({ llm, roles });
    const run = await runToEnd(vote(), { goal: 'which store?' });
    expect(run.outputs.result).toBe('Redis');
    const [decided] = eventsOfType(events(run.id), 'team.vote.decided');
    expect(decided?.data.tally.map((entry) => [entry.answer, entry.votes])).toEqual([
      ['Redis', 2],
      ['Postgres', 1],
    ]);
    expect(
      (run.outputs.detail as { dissent: Array<{ answer: string }> }).dissent.map((ballot) => ballot.answer),
    ).toEqual(['Postgres']);
    const unanimous = await runToEnd(vote({ aggregation: 'unanimous' }), { goal: 'which store?' });
    expect(unanimous.status).toBe('failed');
    expect(unanimous.error).toMatch(/the voters do not agree \(2× "Redis", 1× "Postgres"\)/);
  });

  it('lets a judge pick with a recorded reason', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer =>
      request.system.includes('You judge the answers')
        ? { text: '{"choice": 2, "reason": "the second is simpler"}' }
        : { text: `${roleOf(request)} says ${roleOf(request) === 'coder' ? 'B' : 'A'}` },
    );
    const { runToEnd, events } = createHarness({ llm, roles });
    const run = await runToEnd(vote({ aggregation: 'judge', members: [{ role: 'planner' }, { role: 'coder' }] }), {
      goal: 'pick',
    });
    expect(run.outputs.result).toBe('coder says B');
    expect(eventsOfType(events(run.id), 'team.vote.decided')[0]?.data.reason).toBe('the second is simpler');
  });

  it('counts a failing voter as abstaining and fails below the quorum with the tally', async () => {
    const failing = (who: string[]) =>
      new ScriptedLlm((request): ScriptedAnswer => {
        if (who.includes(roleOf(request))) throw new Error(`${roleOf(request)} is down`);
        return { text: 'yes' };
      });
    const one = await createHarness({ llm: failing(['reviewer']), roles }).runToEnd(vote(), { goal: 'ok?' });
    expect(one.status).toBe('completed');
    expect(one.outputs.result).toBe('yes');
    const two = await createHarness({ llm: failing(['reviewer', 'coder']), roles }).runToEnd(vote(), { goal: 'ok?' });
    expect(two.status).toBe('failed');
    expect(two.error).toMatch(/quorum not reached: 1 of 3 voted, 2 needed \(1× "yes"\)/);
  });
});

describe('team scratchpad', () => {
  it('is shared by the members of one team and recorded in the run', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      const who = roleOf(request);
      if (who === 'coordinator') {
        return turnOf(request) === 0
          ? { toolUses: [delegate('a', 'planner', 'note it')] }
          : turnOf(request) === 1
            ? { toolUses: [delegate('b', 'coder', 'read it')] }
            : { text: lastResults(request)[0]?.content ?? '' };
      }
      if (who === 'planner') {
        return turnOf(request) === 0
          ? { toolUses: [{ id: 'r', name: 'remember', input: { key: 'db', value: 'redis' } }] }
          : { text: 'noted' };
      }
      return turnOf(request) === 0
        ? { toolUses: [{ id: 'q', name: 'recall', input: { key: 'db' } }] }
        : { text: `coder read ${lastResults(request)[0]?.content ?? ''}` };
    });
    const withTools = new Map([role('coordinator'), role('planner', ['remember']), role('coder', ['recall'])]);
    const { runToEnd, events } = createHarness({ llm, roles: withTools });
    const run = await runToEnd(hierarchical(), { goal: 'x' });
    expect(run.outputs.result).toBe('coder read redis');
    expect(eventsOfType(events(run.id), 'team.scratchpad.set').map((event) => [event.data.by, event.data.key])).toEqual(
      [['planner', 'db']],
    );
  });
});

describe('team events', () => {
  it('stay coalesced with 100 members streaming at once: a few delta rows per member, not one per token', async () => {
    const tokens = 40;
    const streaming = {
      name: 'streaming',
      complete: async (request: LlmRequest, options: { onTextDelta?: (text: string) => void } = {}) => {
        for (let index = 0; index < tokens; index++) {
          options.onTextDelta?.('yes ');
          if (index % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return {
          content: [{ type: 'text' as const, text: 'yes' }],
          stopReason: 'end_turn' as const,
          usage: { inputTokens: 1, outputTokens: tokens, cacheReadTokens: 0, cacheWriteTokens: 0 },
          costUsd: 0,
          model: request.model,
        };
      },
    };
    const members = Array.from({ length: 100 }, (_, index) => ({ role: index % 2 ? 'coder' : 'planner' }));
    const { runToEnd, events } = createHarness({ llm: streaming, roles, maxConcurrency: 100 });
    const run = await runToEnd(teamFlow({ topology: 'vote', members }), { goal: 'ok?' });
    expect(run.status).toBe('completed');
    const deltas = eventsOfType(events(run.id), 'llm.delta');
    const byMember = new Map<string, string>();
    for (const event of deltas)
      byMember.set(event.nodeId ?? '', (byMember.get(event.nodeId ?? '') ?? '') + event.data.text);
    expect(byMember.size).toBe(100);
    // Every token arrived, in far fewer rows than tokens.
    expect([...byMember.values()].every((text) => text === 'yes '.repeat(tokens))).toBe(true);
    expect(deltas.length).toBeLessThan(100 * 5);
  });
});
