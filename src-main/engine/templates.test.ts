import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWorkflowDocument, validate, type Workflow } from '@shared/workflow';
import { loadRolePresets, shippedResourcesDir } from './roles';
import { createHarness, eventTypes } from './testing/engine-harness';
import type { LlmRequest } from '../llm/port';
import { ScriptedLlm, type ScriptedAnswer } from './testing/scripted-llm';

const templatesDir = path.join(shippedResourcesDir(), 'templates');
const roles = loadRolePresets([path.join(shippedResourcesDir(), 'roles')]);

function loadTemplate(name: string): Workflow {
  const parsed = parseWorkflowDocument(JSON.parse(fs.readFileSync(path.join(templatesDir, `${name}.json`), 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.workflow;
}

const roleOf = (system: string) => [...roles.values()].find((role) => system.startsWith(role.system))?.name ?? '?';
const taskOf = (request: LlmRequest) => {
  const first = request.messages[0]?.content[0];
  return first?.type === 'text' ? first.text : '';
};
const turnOf = (request: LlmRequest) => request.messages.filter((message) => message.role === 'assistant').length;

describe('workflow templates', () => {
  it('every template parses and validates without problems', () => {
    const files = fs.readdirSync(templatesDir).filter((file) => file.endsWith('.json'));
    expect(files.sort()).toEqual([
      'best-of-three.json',
      'code-review-loop.json',
      'design-review.json',
      'feature-team.json',
      'plan-implement-test.json',
      'research-fan-out.json',
    ]);
    for (const file of files)
      expect(validate(loadTemplate(file.replace('.json', '')))).toMatchObject({ ok: true, warnings: [] });
  });

  it('code review loop: coder and reviewer go round until the reviewer approves', async () => {
    let reviews = 0;
    const llm = new ScriptedLlm((request) =>
      roleOf(request.system) === 'reviewer'
        ? { text: ++reviews === 1 ? 'CHANGES REQUESTED\n1. add tests' : 'APPROVED: tests added' }
        : { text: `implemented (round ${reviews + 1})` },
    );
    const { runToEnd, events } = createHarness({ llm, roles });
    const run = await runToEnd(loadTemplate('code-review-loop'), { task: 'add a cart' });
    expect(run.status).toBe('completed');
    expect(run.outputs).toEqual({ review: 'APPROVED: tests added' });
    expect(llm.calls.map((call) => roleOf(call.system))).toEqual(['coder', 'reviewer', 'coder', 'reviewer']);
    expect(llm.calls[2]?.messages[0]?.content[0]).toMatchObject({ text: expect.stringContaining('1. add tests') });
    expect(eventTypes(events(run.id), 'rounds').filter((type) => type === 'loop.iteration')).toHaveLength(3);
  });

  it('code review loop stops after its bounded rounds when the reviewer never approves', async () => {
    const llm = new ScriptedLlm((request) => ({
      text: roleOf(request.system) === 'reviewer' ? 'CHANGES REQUESTED' : 'tried again',
    }));
    const { runToEnd } = createHarness({ llm, roles });
    const run = await runToEnd(loadTemplate('code-review-loop'), { task: 'x' });
    expect(run.outputs).toEqual({ review: 'CHANGES REQUESTED' });
    expect(llm.calls).toHaveLength(8);
  });

  it('research fan-out: three researchers in parallel, then one synthesis', async () => {
    const llm = new ScriptedLlm((request) =>
      roleOf(request.system) === 'architect' ? { text: 'merged answer' } : { text: 'finding', delayMs: 200 },
    );
    const { runToEnd } = createHarness({ llm, roles, maxConcurrency: 4 });
    const started = Date.now();
    const run = await runToEnd(loadTemplate('research-fan-out'), { question: 'how is the cart stored?' });
    expect(Date.now() - started).toBeLessThan(550);
    expect(run.outputs).toEqual({ answer: 'merged answer' });
    expect(llm.calls.at(-1)?.messages[0]?.content[0]).toMatchObject({
      text: expect.stringContaining('["finding","finding","finding"]'),
    });
  });

  it('plan → implement → test routes the verdict', async () => {
    const llm = new ScriptedLlm((request) => ({
      text: roleOf(request.system) === 'tester' ? 'all green\nPASS' : `${roleOf(request.system)} done`,
    }));
    const { runToEnd } = createHarness({ llm, roles });
    const run = await runToEnd(loadTemplate('plan-implement-test'), { task: 'add a cart' });
    expect(run.outputs).toEqual({ passed: 'all green\nPASS' });
    expect(llm.calls.map((call) => roleOf(call.system))).toEqual(['planner', 'coder', 'tester']);
  });

  it('feature team: the coordinator delegates to the five specialists at once and combines their work', async () => {
    const specialists = ['planner', 'architect', 'coder', 'reviewer', 'tester'];
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      const role = roleOf(request.system);
      if (role !== 'coordinator') return { text: `${role}: done` };
      if (turnOf(request) > 0) return { text: 'feature delivered' };
      return {
        toolUses: specialists.map((specialist) => ({
          id: `d-${specialist}`,
          name: 'delegate',
          input: { role: specialist, task: `the ${specialist}'s part of ${taskOf(request)}` },
        })),
      };
    });
    const { runToEnd } = createHarness({ llm, roles, maxConcurrency: 4 });
    const run = await runToEnd(loadTemplate('feature-team'), { task: 'a cart' });
    expect(run.status).toBe('completed');
    expect(run.outputs.summary).toBe('feature delivered');
    const delegateTool = llm.calls[0]?.tools.find((tool) => tool.name === 'delegate');
    expect((delegateTool?.inputSchema.properties as { role: { enum: string[] } }).role.enum).toEqual(specialists);
    const [coordinator] = (run.outputs.tasks as { tasks: Array<{ role: string; children: Array<{ role: string }> }> })
      .tasks;
    expect(coordinator?.role).toBe('coordinator');
    expect(coordinator?.children.map((child) => child.role)).toEqual(specialists);
  });

  it('design review: architect, security and performance reviewers discuss until all three agree', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      const role = roleOf(request.system);
      const round = Number(/Round (\d+)/.exec(taskOf(request))?.[1]);
      if (turnOf(request) > 0) return { text: `${role} position after round ${round}` };
      const post = { id: `p-${role}`, name: 'post_message', input: { text: `${role} finding ${round}` } };
      return round === 1 ? { toolUses: [post] } : { toolUses: [post, { id: `a-${role}`, name: 'agree', input: {} }] };
    });
    const { runToEnd } = createHarness({ llm, roles });
    const run = await runToEnd(loadTemplate('design-review'), { design: 'one queue per tenant' });
    expect(run.status).toBe('completed');
    expect(run.outputs.board).toMatchObject({ agreed: true, rounds: 2 });
    const board = (run.outputs.board as { board: Array<{ from: string }> }).board;
    expect(board.map((message) => message.from)).toEqual([
      'architect',
      'security-reviewer',
      'performance-reviewer',
      'architect',
      'security-reviewer',
      'performance-reviewer',
    ]);
    expect(run.outputs.verdict).toContain('## security-reviewer\nsecurity-reviewer position after round 2');
  });

  it('best of three: three independent answers, and the judge picks one with a reason', async () => {
    const llm = new ScriptedLlm((request): ScriptedAnswer => {
      if (roleOf(request.system) === 'judge') return { text: '{"choice": 2, "reason": "it handles failures"}' };
      const angle = /Favour (\w+)/.exec(request.system)?.[1] ?? '?';
      return { text: `the ${angle} answer`, delayMs: 200 };
    });
    const { runToEnd } = createHarness({ llm, roles, maxConcurrency: 4 });
    const started = Date.now();
    const run = await runToEnd(loadTemplate('best-of-three'), { question: 'how should the cart survive a crash?' });
    expect(Date.now() - started).toBeLessThan(550);
    expect(run.status).toBe('completed');
    expect(run.outputs.answer).toBe('the robustness answer');
    expect(run.outputs.tally).toMatchObject({ method: 'judge', reason: 'it handles failures' });
    expect(llm.calls.map((call) => roleOf(call.system)).sort()).toEqual([
      'architect',
      'architect',
      'architect',
      'judge',
    ]);
  });
});
