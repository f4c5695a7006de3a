import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWorkflowDocument, validate, type Workflow } from '@shared/workflow';
import { loadRolePresets, shippedResourcesDir } from './roles';
import { createHarness, eventTypes } from './testing/engine-harness';
import { ScriptedLlm } from './testing/scripted-llm';

const templatesDir = path.join(shippedResourcesDir(), 'templates');
const roles = loadRolePresets([path.join(shippedResourcesDir(), 'roles')]);

function loadTemplate(name: string): Workflow {
  const parsed = parseWorkflowDocument(JSON.parse(fs.readFileSync(path.join(templatesDir, `${name}.json`), 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.workflow;
}

const roleOf = (system: string) => [...roles.values()].find((role) => system.startsWith(role.system))?.name ?? '?';

describe('workflow templates', () => {
  it('every template parses and validates without problems', () => {
    const files = fs.readdirSync(templatesDir).filter((file) => file.endsWith('.json'));
    expect(files.sort()).toEqual(['code-review-loop.json', 'plan-implement-test.json', 'research-fan-out.json']);
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
});
