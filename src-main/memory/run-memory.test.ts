import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMemoryContext } from '../engine/run-memory/recall';
import { MemorySynthesisError, synthesizeRun, type MemoryModel } from '../engine/run-memory/synthesis';
import { openTestMemory } from './testing/temp-memory';
import { useTempDir } from './testing/temp-dir-fixture';

/** A fake model with one canned answer, recording what it was asked. */
function fakeModel(answer: string): MemoryModel & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    prompts,
    complete: async ({ prompt }) => {
      prompts.push(prompt);
      return answer;
    },
  };
}

/** The engine's run-memory use cases over the real SQLite memory store. */
describe('memory in the agent loop', () => {
  const temp = useTempDir();

  it('stores a task summary, error resolutions and decisions after a run', async () => {
    const { memory, close } = openTestMemory(path.join(temp.dir, 'memory.db'), null);
    const model = fakeModel(
      'Here you go:\n```json\n' +
        JSON.stringify({
          summary: 'Added a retry to the HTTP client; all tests pass.',
          errorResolutions: [
            { error: 'ECONNRESET from the mock server', resolution: 'retry idempotent requests once' },
          ],
          decisions: ['HTTP retries live in the client, not in callers'],
        }) +
        '\n```',
    );
    const results = await synthesizeRun(memory.store, model, {
      runId: 'run-42',
      namespace: 'proj',
      goal: 'make the client resilient',
      outcome: 'succeeded',
      transcript: 'coder: added retry\ntester: all green',
    });
    expect(model.prompts[0]).toContain('make the client resilient');
    expect(results.map((result) => [result.outcome, result.item.kind])).toEqual([
      ['stored', 'task-summary'],
      ['stored', 'error-resolution'],
      ['stored', 'decision'],
    ]);
    expect(results.every((result) => result.item.provenance.runId === 'run-42')).toBe(true);
    expect(results[1]?.item.text).toBe(
      'Error: ECONNRESET from the mock server\nResolution: retry idempotent requests once',
    );

    // The same synthesis again adds nothing new.
    const again = await synthesizeRun(memory.store, model, {
      runId: 'run-43',
      namespace: 'proj',
      goal: 'make the client resilient',
      outcome: 'succeeded',
      transcript: 'same',
    });
    expect(again.map((result) => result.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    await expect(
      synthesizeRun(memory.store, fakeModel('I could not summarise that.'), {
        runId: 'r',
        namespace: 'proj',
        goal: 'g',
        outcome: 'failed',
        transcript: 't',
      }),
    ).rejects.toThrow(MemorySynthesisError);
    close();
  });

  it('injects the most relevant memories within the token budget and marks them used', async () => {
    let clock = new Date('2026-01-01T00:00:00.000Z');
    const { memory, close } = openTestMemory(path.join(temp.dir, 'memory.db'), null, () => clock);
    const store = memory.store;
    const retry = await store.store({ namespace: 'proj', kind: 'decision', text: 'HTTP retries live in the client' });
    const long = await store.store({
      namespace: 'proj',
      kind: 'note',
      text: `HTTP client notes: ${'very long detail '.repeat(200)}`,
    });
    await store.store({ namespace: 'other', kind: 'note', text: 'HTTP client in another project' });
    clock = new Date('2026-01-02T00:00:00.000Z');

    const context = await buildMemoryContext(store, {
      query: 'HTTP client retries',
      namespaces: ['proj'],
      tokenBudget: 200,
    });
    expect(context.injected.map((entry) => entry.id)).toEqual([retry.item.id]);
    expect(context.tokens).toBeLessThanOrEqual(200);
    expect(context.text).toContain('HTTP retries live in the client');
    expect(context.text).not.toContain('another project');
    expect(store.get(retry.item.id).lastUsedAt).toBe('2026-01-02T00:00:00.000Z');
    expect(store.get(long.item.id).lastUsedAt).toBeNull();

    const roomy = await buildMemoryContext(store, { query: 'HTTP client', namespaces: ['proj'], tokenBudget: 5000 });
    expect(roomy.injected).toHaveLength(2);
    const empty = await buildMemoryContext(store, { query: 'kubernetes', namespaces: ['proj'], tokenBudget: 500 });
    expect(empty).toEqual({ text: '', injected: [], tokens: 0 });
    close();
  });
});
