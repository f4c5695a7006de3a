import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsOfType } from '@shared/run-events';
import type { LlmRequest } from '../llm/port';
import { createHarness } from '../engine/testing/engine-harness';
import { ScriptedLlm, type ScriptedAnswer } from '../engine/testing/scripted-llm';
import { buildWorkflow, storeThenSearchWorkflow } from '../engine/testing/workflow-builder';
import { openDatabase } from '../store/database';
import { SqliteRunStore } from '../store/run-repository';
import { openMemoryProfile, type MemoryProfile } from './testing/memory-profile';

/** Memory in the agent loop, through the engine: real SQLite for runs and memory, the scripted model. */
const isSynthesis = (request: LlmRequest) => request.system.includes('long-term memory of a software project');

const synthesisAnswer = JSON.stringify({
  summary: 'Moved the shopping cart into redis; the checkout tests pass.',
  errorResolutions: [{ error: 'cart lost on restart', resolution: 'persist the cart in redis' }],
  decisions: ['The cart lives in redis, not in process memory'],
});

const agentFlow = (config: Record<string, unknown> = {}) =>
  buildWorkflow(
    [
      ['task', 'input', { name: 'task' }],
      ['coder', 'agent', { prompt: 'Task: {{in}}', ...config }],
      ['result', 'output', { name: 'result' }],
    ],
    ['task.value -> coder.in', 'coder.out -> result.value'],
  );

const ofType = eventsOfType;

describe('memory in the agent loop (engine + SQLite)', () => {
  let profile: MemoryProfile;
  beforeEach(() => {
    profile = openMemoryProfile('warroom-engine-memory-');
  });
  afterEach(() => profile.close());

  const remember = async (namespace: string, text: string) =>
    (await profile.memory.store.store({ namespace, kind: 'decision', text })).item.id;

  it('injects the project and global memories relevant to the task into the prompt, and records them', async () => {
    const projectId = await remember('shop', 'The shopping cart is stored in redis under cart:<user>.');
    const globalId = await remember('global', 'Prefer small commits; every cart change needs a test.');
    await remember('other-project', 'The cart of the other project lives in postgres.');
    await remember('shop', 'Invoices are rendered with a PDF template.');
    const llm = new ScriptedLlm((request) => (isSynthesis(request) ? { text: synthesisAnswer } : { text: 'done' }));
    const { engine, events } = createHarness({ llm, store: profile.runStore, memory: profile.memory.store });

    const run = await engine.wait(
      engine.start({ workflow: agentFlow(), inputs: { task: 'fix the cart' }, projectDir: profile.projectDir }).id,
    );

    expect(run.status).toBe('completed');
    const system = llm.calls[0]?.system ?? '';
    expect(system).toContain('## Project memory');
    expect(system).toContain('The shopping cart is stored in redis');
    expect(system).toContain('every cart change needs a test');
    expect(system).not.toContain('postgres');
    expect(system).not.toContain('Invoices');
    const [injected] = ofType(events(run.id), 'memory.injected');
    expect(injected?.nodeId).toBe('coder');
    expect(injected?.data.namespaces).toEqual(['shop', 'global']);
    const listed = injected?.data.memories as Array<{ id: string; score: number; reasons: string[] }>;
    expect(listed.map((entry) => entry.id).sort()).toEqual([projectId, globalId].sort());
    expect(listed.every((entry) => entry.score > 0 && entry.reasons.length > 0)).toBe(true);
    expect(profile.memory.store.get(projectId).lastUsedAt).not.toBeNull();
  });

  it('injects nothing when the agent turns memory off, and only what fits in a small budget', async () => {
    await remember('shop', 'The shopping cart is stored in redis under cart:<user>.');
    await remember('shop', `A long note about the cart: ${'details about the cart '.repeat(60)}`);
    const llm = new ScriptedLlm(() => ({ text: 'done' }));
    const { engine, events } = createHarness({
      llm,
      store: profile.runStore,
      memory: profile.memory.store,
      synthesizeAfterRuns: false,
    });

    const off = await engine.wait(
      engine.start({
        workflow: agentFlow({ memory: { inject: false } }),
        inputs: { task: 'cart' },
        projectDir: profile.projectDir,
      }).id,
    );
    expect(llm.calls[0]?.system).toBe('');
    expect(ofType(events(off.id), 'memory.injected')).toEqual([]);

    const small = await engine.wait(
      engine.start({
        workflow: agentFlow({ memory: { tokenBudget: 60 } }),
        inputs: { task: 'cart' },
        projectDir: profile.projectDir,
      }).id,
    );
    expect(llm.calls[1]?.system).toContain('stored in redis');
    expect(llm.calls[1]?.system).not.toContain('A long note');
    const [injected] = ofType(events(small.id), 'memory.injected');
    expect((injected?.data.memories as unknown[]).length).toBe(1);
    expect(Number(injected?.data.tokens)).toBeLessThanOrEqual(60);
  });

  it('synthesizes a finished run into project memory with the run as provenance', async () => {
    const llm = new ScriptedLlm((request) => (isSynthesis(request) ? { text: synthesisAnswer } : { text: 'done' }));
    const { engine, events } = createHarness({ llm, store: profile.runStore, memory: profile.memory.store });

    const run = await engine.wait(
      engine.start({ workflow: agentFlow(), inputs: { task: 'fix the cart' }, projectDir: profile.projectDir }).id,
    );

    expect(run.status).toBe('completed');
    expect(llm.calls).toHaveLength(2);
    const synthesisPrompt = llm.calls[1]?.messages[0]?.content[0];
    expect(synthesisPrompt).toMatchObject({ type: 'text' });
    expect(JSON.stringify(synthesisPrompt)).toContain('coder → {\\"out\\":\\"done\\"}');
    const stored = profile.memory.store.list({ namespaces: ['shop'] }).items;
    const summary = stored.find((item) => item.kind === 'task-summary');
    expect(summary?.text).toBe('Moved the shopping cart into redis; the checkout tests pass.');
    expect(summary?.provenance).toEqual({ runId: run.id });
    expect(stored.map((item) => item.kind).sort()).toEqual(['decision', 'error-resolution', 'task-summary']);
    const all = events(run.id);
    const [synthesized] = ofType(all, 'memory.synthesized');
    expect((synthesized?.data.memories as Array<{ id: string }>).map((entry) => entry.id).sort()).toEqual(
      stored.map((item) => item.id).sort(),
    );
    // The synthesis call counts towards the run's usage, and comes before the run's final event.
    expect(run.usage.inputTokens).toBe(20);
    expect(all.at(-1)?.type).toBe('run.completed');
  });

  it('replays with zero model calls, injecting and reporting exactly what the original did', async () => {
    await remember('shop', 'The shopping cart is stored in redis under cart:<user>.');
    const llm = new ScriptedLlm((request) => (isSynthesis(request) ? { text: synthesisAnswer } : { text: 'done' }));
    const { engine, events } = createHarness({ llm, store: profile.runStore, memory: profile.memory.store });
    const original = await engine.wait(
      engine.start({ workflow: agentFlow(), inputs: { task: 'fix the cart' }, projectDir: profile.projectDir }).id,
    );
    const callsBefore = llm.calls.length;
    const itemsBefore = profile.memory.store.list({ namespaces: ['shop'] }).total;
    // A memory added since must not change what the replay injects.
    await remember('shop', 'The cart total is computed on the server.');

    const replay = await engine.wait(engine.replay(original.id).id);

    expect(replay.status).toBe('completed');
    expect(llm.calls).toHaveLength(callsBefore);
    expect(replay.outputs).toEqual(original.outputs);
    expect(replay.usage).toEqual(original.usage);
    const memoryEvents = (runId: string) =>
      events(runId)
        .filter((event) => event.type.startsWith('memory.'))
        .map((event) => ({ type: event.type, nodeId: event.nodeId, data: event.data }));
    expect(memoryEvents(replay.id)).toEqual(memoryEvents(original.id));
    expect(memoryEvents(replay.id).map((event) => event.type)).toEqual(['memory.injected', 'memory.synthesized']);
    expect(profile.memory.store.list({ namespaces: ['shop'] }).total).toBe(itemsBefore + 1);
  });

  it('a resumed agent gets the memories it got before the pause, not newer ones', async () => {
    await remember('shop', 'The shopping cart is stored in redis under cart:<user>.');
    const script = (request: LlmRequest, index: number): ScriptedAnswer => {
      if (isSynthesis(request)) return { text: synthesisAnswer };
      return index === 0 ? { toolUses: [{ id: 't1', name: 'recall', input: {} }] } : { text: 'done' };
    };
    const llm = new ScriptedLlm(script);
    const { engine, events } = createHarness({
      llm,
      store: profile.runStore,
      memory: profile.memory.store,
      budget: { maxTokens: 25 },
    });
    const run = engine.start({
      workflow: agentFlow(),
      inputs: { task: 'fix the cart' },
      projectDir: profile.projectDir,
    });
    expect((await engine.wait(run.id)).status).toBe('paused');
    await remember('shop', 'The cart badge in the header counts items, not units.');

    const resumed = await engine.wait(engine.resume(run.id, { maxTokens: 1000 }).id);

    expect(resumed.status).toBe('completed');
    // The first model call (with the memories in its system prompt) is journaled and not made again.
    const agentCalls = llm.calls.filter((request) => !isSynthesis(request));
    expect(agentCalls).toHaveLength(2);
    expect(agentCalls[1]?.system).toBe(agentCalls[0]?.system);
    expect(agentCalls[1]?.system).not.toContain('badge');
    const injections = ofType(events(run.id), 'memory.injected').map((event) => event.data.memories);
    expect(injections).toHaveLength(2);
    expect(injections[1]).toEqual(injections[0]);
  });

  it('a synthesis failure becomes an event and the run still completes', async () => {
    const llm = new ScriptedLlm((request) =>
      isSynthesis(request) ? { text: 'I cannot summarise this.' } : { text: 'done' },
    );
    const { engine, events } = createHarness({ llm, store: profile.runStore, memory: profile.memory.store });

    const run = await engine.wait(
      engine.start({ workflow: agentFlow(), inputs: { task: 'fix the cart' }, projectDir: profile.projectDir }).id,
    );

    expect(run.status).toBe('completed');
    expect(run.outputs).toEqual({ result: 'done' });
    const [failed] = ofType(events(run.id), 'memory.failed');
    expect(failed?.data).toEqual({ step: 'synthesis', error: 'The model did not answer with a JSON object' });
    expect(ofType(events(run.id), 'memory.synthesized')).toEqual([]);
    expect(profile.memory.store.list({ namespaces: ['shop'] }).total).toBe(0);
  });

  it('a model error during synthesis does not fail the run either', async () => {
    const llm = new ScriptedLlm((request) => {
      if (isSynthesis(request)) throw new Error('overloaded');
      return { text: 'done' };
    });
    const { engine, events } = createHarness({ llm, store: profile.runStore, memory: profile.memory.store });

    const run = await engine.wait(
      engine.start({ workflow: agentFlow(), inputs: { task: 'x' }, projectDir: profile.projectDir }).id,
    );

    expect(run.status).toBe('completed');
    expect(ofType(events(run.id), 'memory.failed')[0]?.data).toEqual({ step: 'synthesis', error: 'overloaded' });
  });

  it('skips synthesis when the setting is off', async () => {
    const llm = new ScriptedLlm((request) => (isSynthesis(request) ? { text: synthesisAnswer } : { text: 'done' }));
    const { runToEnd } = createHarness({
      llm,
      store: profile.runStore,
      memory: profile.memory.store,
      synthesizeAfterRuns: false,
    });
    expect((await runToEnd(agentFlow(), { task: 'x' }, profile.projectDir)).status).toBe('completed');
    expect(llm.calls.filter(isSynthesis)).toEqual([]);
  });

  it('synthesizes a failed run only when some error in it was got past', async () => {
    fs.writeFileSync(path.join(profile.projectDir, 'cart.ts'), 'export const cart = [];');
    const twoAgents = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['coder', 'agent', { prompt: 'Task: {{in}}', tools: ['read_file'] }],
        ['tester', 'agent', { prompt: 'Test: {{in}}' }],
        ['result', 'output', { name: 'result' }],
      ],
      ['task.value -> coder.in', 'coder.out -> tester.in', 'tester.out -> result.value'],
    );
    const script =
      (coderRecovers: boolean) =>
      (request: LlmRequest): ScriptedAnswer => {
        if (isSynthesis(request)) return { text: synthesisAnswer };
        if (request.messages[0]?.content[0]?.type === 'text' && request.messages[0].content[0].text.startsWith('Test'))
          throw new Error('the tester model is down');
        if (request.messages.length === 1)
          return { toolUses: [{ id: 't1', name: 'read_file', input: { path: 'kart.ts' } }] };
        if (coderRecovers && request.messages.length === 3)
          return { toolUses: [{ id: 't2', name: 'read_file', input: { path: 'cart.ts' } }] };
        return { text: 'read it' };
      };

    const unresolved = new ScriptedLlm(script(false));
    const first = createHarness({ llm: unresolved, store: profile.runStore, memory: profile.memory.store });
    expect((await first.runToEnd(twoAgents, { task: 'x' }, profile.projectDir)).status).toBe('failed');
    expect(unresolved.calls.filter(isSynthesis)).toEqual([]);

    const resolved = new ScriptedLlm(script(true));
    // A second run database: both harnesses number their runs from 1.
    const second = openDatabase(path.join(profile.dir, 'second.db'));
    const closeMain = profile.close;
    profile.close = () => {
      second.db.close();
      closeMain();
    };
    const { runToEnd, events } = createHarness({
      llm: resolved,
      store: new SqliteRunStore(second.db),
      memory: profile.memory.store,
    });
    const run = await runToEnd(twoAgents, { task: 'x' }, profile.projectDir);
    expect(run.status).toBe('failed');
    const [synthesis] = resolved.calls.filter(isSynthesis);
    const prompt = JSON.stringify(synthesis?.messages[0]?.content);
    expect(prompt).toContain('Outcome: failed');
    expect(prompt).toContain('coder read_file error');
    expect(prompt).toContain('coder read_file result: export const cart = [];');
    expect(
      events(run.id)
        .map((event) => event.type)
        .slice(-2),
    ).toEqual(['memory.synthesized', 'run.failed']);
  });

  it('memory-store and memory-search nodes default to the project namespace (search: and global)', async () => {
    const globalId = await remember('global', 'Release notes go in CHANGELOG.md.');
    await remember('other-project', 'Release notes of the other project go in NEWS.');
    const { runToEnd } = createHarness({ store: profile.runStore, memory: profile.memory.store });
    const workflow = storeThenSearchWorkflow('release notes', 5);

    const run = await runToEnd(
      workflow,
      { note: 'Release notes are written by the release agent.' },
      profile.projectDir,
    );

    const saved = profile.memory.store.list({ namespaces: ['shop'] }).items;
    expect(saved.map((item) => [item.text, item.provenance])).toEqual([
      ['Release notes are written by the release agent.', { runId: run.id, nodeId: 'save' }],
    ]);
    const hits = run.outputs.hits as Array<{ id: string }>;
    expect(hits.map((hit) => hit.id).sort()).toEqual([saved[0]?.id, globalId].sort());
  });

  it("stores what an agent's memory_store tool keeps in the project namespace, where the next run finds it", async () => {
    const llm = new ScriptedLlm((request, index) => {
      if (isSynthesis(request)) return { text: synthesisAnswer };
      if (index === 0) {
        return { toolUses: [{ id: 't1', name: 'memory_store', input: { text: 'Checkout needs the EU VAT table.' } }] };
      }
      return { text: 'done' };
    });
    const { runToEnd } = createHarness({
      llm,
      store: profile.runStore,
      memory: profile.memory.store,
      synthesizeAfterRuns: false,
    });
    await runToEnd(agentFlow({ tools: ['memory_store'] }), { task: 'checkout' }, profile.projectDir);
    expect(profile.memory.store.list({ namespaces: ['shop'] }).items.map((item) => item.text)).toEqual([
      'Checkout needs the EU VAT table.',
    ]);

    await runToEnd(agentFlow(), { task: 'checkout VAT' }, profile.projectDir);
    expect(llm.calls.at(-1)?.system).toContain('Checkout needs the EU VAT table.');
  });
});
