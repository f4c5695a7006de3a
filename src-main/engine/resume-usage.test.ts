import { describe, expect, it } from 'vitest';
import { createHarness } from './testing/engine-harness';
import { MemoryRunStore } from './testing/memory-run-store';
import { ScriptedLlm } from './testing/scripted-llm';
import { chainWorkflow } from './testing/workflow-builder';

/** A resumed run's usage and budget include what its earlier passes spent on nodes it does not run again. */
describe("resuming a run counts its earlier passes' spend", () => {
  const twoAgents = () =>
    chainWorkflow([
      ['first', 'agent', { prompt: 'one: {{in}}' }],
      ['second', 'agent', { prompt: 'two: {{in}}' }],
    ]);

  it('a run paused by its budget after one agent reports both agents once resumed', async () => {
    // Each scripted call spends 10 input + 10 output tokens and $0.001.
    const llm = new ScriptedLlm(() => ({ text: 'ok' }));
    const store = new MemoryRunStore();
    const { engine } = createHarness({ llm, store, budget: { maxTokens: 25 }, synthesizeAfterRuns: false });
    const run = engine.start({ workflow: twoAgents(), inputs: { task: 'tea' }, projectDir: '/tmp' });
    const paused = await engine.wait(run.id);
    expect(paused.status).toBe('paused');
    expect(paused.usage.inputTokens).toBe(20);

    const resumed = await engine.wait(engine.resume(run.id, { maxTokens: 1000 }).id);

    expect(resumed.status).toBe('completed');
    // Two model calls were made in all (the second agent's answer was journaled before the pause).
    expect(llm.calls).toHaveLength(2);
    expect(resumed.usage).toEqual({ inputTokens: 20, outputTokens: 20, costUsd: 0.002 });
  });

  it("an earlier pass's spend still counts against the run budget after a resume", async () => {
    const llm = new ScriptedLlm(() => ({ text: 'ok' }));
    const { engine } = createHarness({ llm, budget: { maxTokens: 25 }, synthesizeAfterRuns: false });
    const run = engine.start({ workflow: twoAgents(), inputs: { task: 'tea' }, projectDir: '/tmp' });
    expect((await engine.wait(run.id)).status).toBe('paused');

    // Resuming with room for one more call but not for both agents' spend pauses again.
    const again = await engine.wait(engine.resume(run.id, { maxTokens: 30 }).id);

    expect(again.status).toBe('paused');
    expect(again.usage.inputTokens + again.usage.outputTokens).toBe(40);
  });
});
