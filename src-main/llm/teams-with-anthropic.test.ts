import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsOfType } from '@shared/run-events';
import { foldTaskTree } from '@shared/team-tasks';
import type { RunEngine } from '../engine/engine';
import { openAnthropicWorkspace, type AnthropicWorkspace } from '../testing/anthropic-engine';
import { delegatingScript, roleOfRequest, taskOfRequest, teamWorkflow } from '../testing/fake-team';
import type { FakeRequest } from './testing/fake-anthropic-server';

/** Teams on the real SDK against the fake Messages API, persisting to a real SQLite file, with the shipped roles. */
describe('teams + Anthropic adapter + SQLite', () => {
  let workspace: AnthropicWorkspace;
  let engine: RunEngine;

  beforeEach(async () => {
    workspace = await openAnthropicWorkspace('warroom-teams-');
    ({ engine } = workspace.openEngine());
  });
  afterEach(() => workspace.close());

  const start = (workflow: ReturnType<typeof teamWorkflow>, budget?: { maxUsd: number }) =>
    engine.start({ workflow, projectDir: workspace.dir, inputs: { task: 'a cart' }, ...(budget ? { budget } : {}) });
  const sentOnce = () => {
    const bodies = workspace.server.requests.map((request) => JSON.stringify(request.body));
    return new Set(bodies).size === bodies.length;
  };

  it('pauses at the run budget mid-delegation and resumes without sending a completed call again', async () => {
    workspace.server.setScript(
      delegatingScript([
        ['planner', 'plan the cart'],
        ['coder', 'write the cart'],
      ]),
    );
    // Each call costs $0.00045 (100 in + 10 out tokens): the members' calls cross $0.001.
    const paused = await engine.wait(start(teamWorkflow(['planner', 'coder']), { maxUsd: 0.001 }).id);
    expect(paused.status).toBe('paused');
    expect(paused.pauseReason).toMatch(/budget/);
    const resumed = await engine.wait(engine.resume(paused.id, { maxUsd: 1 }).id);
    expect(resumed.status).toBe('completed');
    expect(sentOnce()).toBe(true);
    const roles = workspace.server.requests.map(roleOfRequest);
    expect([roles[0], roles.slice(1, 3).sort(), roles[3], roles.length]).toEqual([
      'coordinator',
      ['coder', 'planner'],
      'coordinator',
      4,
    ]);
    expect(foldTaskTree(engine.eventsSoFar(paused.id))[0]?.children.map((task) => task.status)).toEqual([
      'completed',
      'completed',
    ]);
  });

  it('cancels a team whose members are waiting on the model within a second', async () => {
    workspace.server.setScript(
      delegatingScript(
        [
          ['planner', 'plan the cart'],
          ['coder', 'write the cart'],
        ],
        () => ({ text: 'too late', delayMs: 10_000 }),
      ),
    );
    const run = start(teamWorkflow(['planner', 'coder']));
    while (workspace.server.requests.filter((request) => roleOfRequest(request) !== 'coordinator').length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const cancelledAt = Date.now();
    engine.cancel(run.id);
    expect((await engine.wait(run.id)).status).toBe('cancelled');
    expect(Date.now() - cancelledAt).toBeLessThan(1000);
  });

  it('forks from the team node with a new goal, re-running only the team', async () => {
    workspace.server.setScript(delegatingScript([['planner', 'plan it']]));
    const original = await engine.wait(start(teamWorkflow(['planner'])).id);
    const before = workspace.server.requests.length;
    const fork = await engine.wait(engine.fork(original.id, 'crew', 'a checkout').id);
    expect(fork.status).toBe('completed');
    const forked = workspace.server.requests.slice(before);
    expect(forked.map(roleOfRequest)).toEqual(['coordinator', 'planner', 'coordinator']);
    expect(taskOfRequest(forked[0] as FakeRequest)).toBe('a checkout');
  });

  it('mesh: the shipped reviewers talk on the board until all three agree', async () => {
    workspace.server.setScript((request) => {
      const role = roleOfRequest(request);
      const round = Number(/Round (\d+)/.exec(taskOfRequest(request))?.[1]);
      if (request.body.messages.length > 1) return { text: `${role} position ${round}` };
      const post = {
        id: `toolu_post_${role}_${round}`,
        name: 'post_message',
        input: { text: `${role} says ${round}` },
      };
      return round === 1
        ? { toolUses: [post] }
        : { toolUses: [post, { id: `toolu_agree_${role}`, name: 'agree', input: { reason: 'fine' } }] };
    });
    const workflow = teamWorkflow(
      ['architect', 'security-reviewer', 'performance-reviewer'],
      { topology: 'mesh' },
      'detail',
    );
    const run = await engine.wait(start(workflow).id);
    expect(run.status).toBe('completed');
    expect(run.outputs.result).toMatchObject({ agreed: true, rounds: 2 });
    const events = engine.eventsSoFar(run.id);
    expect(eventsOfType(events, 'team.member.agreed').map((event) => event.data.member)).toEqual(
      expect.arrayContaining(['architect', 'security-reviewer', 'performance-reviewer']),
    );
    expect(eventsOfType(events, 'team.message.posted')).toHaveLength(6);
  });

  it('vote: a voter past its time limit abstains, and the judge picks among the others above the quorum', async () => {
    workspace.server.setScript((request) => {
      const role = roleOfRequest(request);
      if (role === 'judge') return { text: '{"choice": 1, "reason": "simplest"}' };
      return role === 'tester' ? { text: 'late', delayMs: 5_000 } : { text: `${role} answer` };
    });
    const workflow = teamWorkflow(['planner', 'coder', 'tester'], {
      topology: 'vote',
      aggregation: 'judge',
      judge: { role: 'judge' },
      quorum: 2,
      voterTimeoutMs: 1_000,
    });
    const run = await engine.wait(start(workflow).id);
    expect(run.status).toBe('completed');
    expect(run.outputs.result).toBe('planner answer');
    const events = engine.eventsSoFar(run.id);
    expect(eventsOfType(events, 'team.vote.abstained').map((event) => event.data.voter)).toEqual(['voter-3-tester']);
    expect(eventsOfType(events, 'team.vote.decided')[0]?.data).toMatchObject({ method: 'judge', reason: 'simplest' });
  });
});
