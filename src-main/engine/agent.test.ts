import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LlmRequest } from '../llm/port';
import { createHarness, eventTypes } from './testing/engine-harness';
import { ScriptedLlm, type ScriptedAnswer } from './testing/scripted-llm';
import { branchWorkflow, chainWorkflow } from './testing/workflow-builder';

const singleAgent = (config: Record<string, unknown>) =>
  chainWorkflow([['agent', 'agent', { prompt: 'Task: {{in}}', ...config }]]);

const lastToolResults = (request: LlmRequest) =>
  request.messages.at(-1)?.content.filter((block) => block.type === 'tool_result') ?? [];

describe('agent node', () => {
  let projectDir: string;
  beforeEach(() => {
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-agent-'));
    fs.writeFileSync(path.join(projectDir, 'a.txt'), 'alpha');
  });
  afterEach(() => fs.rmSync(projectDir, { recursive: true, force: true }));

  it('runs the tool-use loop with parallel tool calls inside the project, and refuses paths outside it', async () => {
    const llm = new ScriptedLlm((_request, index): ScriptedAnswer => {
      if (index === 0) {
        return {
          text: 'Looking around.',
          toolUses: [
            { id: 't1', name: 'read_file', input: { path: 'a.txt' } },
            { id: 't2', name: 'list_files', input: { path: '.' } },
            { id: 't3', name: 'read_file', input: { path: '../../etc/passwd' } },
          ],
        };
      }
      if (index === 1)
        return { toolUses: [{ id: 't4', name: 'write_file', input: { path: 'out/b.txt', content: 'beta' } }] };
      return { text: 'All done.' };
    });
    const { engine, events, store } = createHarness({ llm });
    const run = engine.start({
      workflow: singleAgent({ tools: ['read_file', 'list_files', 'write_file'], maxTurns: 5 }),
      inputs: { task: 'copy' },
      projectDir,
    });
    const finished = await engine.wait(run.id);
    expect(finished.outputs).toEqual({ result: 'All done.' });
    expect(fs.readFileSync(path.join(projectDir, 'out/b.txt'), 'utf8')).toBe('beta');
    const secondRequest = llm.calls[1];
    expect(secondRequest && lastToolResults(secondRequest)).toEqual([
      { type: 'tool_result', toolUseId: 't1', content: 'alpha' },
      { type: 'tool_result', toolUseId: 't2', content: 'a.txt' },
      {
        type: 'tool_result',
        toolUseId: 't3',
        content: '"../../etc/passwd" is outside the project directory',
        isError: true,
      },
    ]);
    expect(llm.calls[0]?.tools.map((tool) => tool.name)).toEqual(['read_file', 'list_files', 'write_file']);
    const types = eventTypes(events(run.id), 'agent');
    expect(types.filter((type) => type === 'tool.call')).toHaveLength(4);
    expect(types.filter((type) => type === 'tool.result')).toHaveLength(4);
    expect(types).toContain('llm.delta');
    // Each model call is announced before it is made, so the war room's timeline can draw it from its start.
    const calls = types.filter((type) => type === 'llm.started' || type === 'llm.usage');
    expect(calls).toEqual(['llm.started', 'llm.usage', 'llm.started', 'llm.usage', 'llm.started', 'llm.usage']);
    expect(finished.usage).toEqual({ inputTokens: 30, outputTokens: 30, costUsd: 0.003 });
    // The journal keeps each request as it was sent: turn 1 asked with the task alone, later turns did
    // not grow it afterwards.
    const journaledRequests = store
      .listJournal(run.id)
      .filter((entry) => entry.kind === 'llm')
      .map((entry) => (entry.request as LlmRequest).messages.map((message) => message.role));
    expect(journaledRequests).toEqual([
      ['user'],
      ['user', 'assistant', 'user'],
      ['user', 'assistant', 'user', 'assistant', 'user'],
    ]);
  });

  it('uses a role preset: its system prompt and default tools', async () => {
    const llm = new ScriptedLlm(() => ({ text: 'reviewed' }));
    const roles = new Map([
      [
        'reviewer',
        { name: 'reviewer', description: 'reviews', system: 'You review {{task}} carefully.', tools: ['read_file'] },
      ],
    ]);
    const { runToEnd } = createHarness({ llm, roles });
    await runToEnd(singleAgent({ role: 'reviewer', format: 'APPROVED or CHANGES' }), { task: 'the diff' });
    expect(llm.calls[0]?.system).toBe(
      'You review Task: the diff carefully.\n\nAnswer in this format:\nAPPROVED or CHANGES',
    );
    expect(llm.calls[0]?.tools.map((tool) => tool.name)).toEqual(['read_file']);
  });

  it('keeps a scratchpad across turns (remember / recall)', async () => {
    const llm = new ScriptedLlm((request, index) =>
      index === 0
        ? { toolUses: [{ id: 'r1', name: 'remember', input: { key: 'plan', value: 'step 1' } }] }
        : index === 1
          ? { toolUses: [{ id: 'r2', name: 'recall', input: { key: 'plan' } }] }
          : { text: String(lastToolResults(request)[0]?.type === 'tool_result' && lastToolResults(request)[0]) },
    );
    const { runToEnd } = createHarness({ llm });
    await runToEnd(singleAgent({ tools: ['remember', 'recall'] }), { task: 'x' });
    expect(llm.calls[2] && lastToolResults(llm.calls[2])).toEqual([
      { type: 'tool_result', toolUseId: 'r2', content: 'step 1' },
    ]);
  });

  it('stops an agent that repeats the same tool call (loop guard)', async () => {
    let id = 0;
    const llm = new ScriptedLlm(() => ({ toolUses: [{ id: `l${++id}`, name: 'list_files', input: { path: '.' } }] }));
    const { engine, events } = createHarness({ llm });
    const run = engine.start({
      workflow: singleAgent({ tools: ['list_files'], maxTurns: 20, maxRepeatedToolCalls: 3 }),
      inputs: { task: 'x' },
      projectDir,
    });
    const finished = await engine.wait(run.id);
    expect(finished.status).toBe('failed');
    expect(finished.error).toBe(
      'node "agent": loop guard: the agent called list_files with the same arguments 3 times',
    );
    expect(llm.calls).toHaveLength(3);
    expect(events(run.id).find((event) => event.type === 'loop.guard')?.data).toMatchObject({
      tool: 'list_files',
      count: 3,
    });
  });

  it('pauses at the run budget with an event, and resumes after raising it without repeating calls', async () => {
    const llm = new ScriptedLlm((_request, index) =>
      index < 3
        ? { toolUses: [{ id: `b${index}`, name: 'list_files', input: { path: String(index) } }] }
        : { text: 'finished' },
    );
    const { engine, events } = createHarness({ llm });
    fs.mkdirSync(path.join(projectDir, '0'));
    fs.mkdirSync(path.join(projectDir, '1'));
    fs.mkdirSync(path.join(projectDir, '2'));
    const run = engine.start({
      workflow: singleAgent({ tools: ['list_files'], maxTurns: 10 }),
      inputs: { task: 'x' },
      projectDir,
      budget: { maxUsd: 0.0015 },
    });
    const paused = await engine.wait(run.id);
    expect(paused.status).toBe('paused');
    expect(paused.pauseReason).toMatch(/run budget reached: spent \$0.0020/);
    expect(events(run.id).find((event) => event.type === 'budget.exceeded')?.data).toMatchObject({
      scope: 'run',
      limit: { maxUsd: 0.0015 },
    });
    expect(llm.calls).toHaveLength(2);
    engine.resume(run.id, { maxUsd: 1 });
    const finished = await engine.wait(run.id);
    expect(finished.status).toBe('completed');
    expect(finished.outputs).toEqual({ result: 'finished' });
    expect(llm.calls).toHaveLength(4);
  });

  it('pauses at a node token budget', async () => {
    const llm = new ScriptedLlm(() => ({ toolUses: [{ id: `x${Math.random()}`, name: 'recall', input: {} }] }));
    const { runToEnd } = createHarness({ llm });
    const run = await runToEnd(
      singleAgent({ tools: ['recall'], budget: { maxTokens: 50 }, maxRepeatedToolCalls: 50 }),
      {
        task: 'x',
      },
    );
    expect(run.status).toBe('paused');
    expect(run.pauseReason).toMatch(/^node "agent" budget reached: spent \$0.0030 and 60 tokens \(limit 50 tokens\)/);
  });

  it('routes by asking the model, recording its reason', async () => {
    const llm = new ScriptedLlm(() => ({ text: '{"decision": false, "reason": "the tests fail"}' }));
    const { runToEnd, events } = createHarness({ llm });
    const workflow = branchWorkflow(
      ['ready', 'condition', { question: 'Is this ready to ship?' }],
      [
        ['true', 'ship'],
        ['false', 'fix'],
      ],
    );
    const run = await runToEnd(workflow, { task: 'patch' });
    expect(run.outputs).toEqual({ fix: 'patch' });
    expect(events(run.id).find((event) => event.type === 'condition.decided')?.data).toMatchObject({
      result: false,
      reason: 'the tests fail',
    });
  });
});
