import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEngine } from '../../engine/engine';
import { RunNotFoundError } from '../../engine/errors';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import type { SqliteRunStore } from '../../store/run-repository';
import { openAnthropicWorkspace, type AnthropicWorkspace } from '../../testing/anthropic-engine';
import { taskOfRequest } from '../../testing/fake-team';
import { SecretRedactor } from '../../privacy/redactor';
import { RunCompareService } from './run-compare-service';

/** A secret the redactor holds, as a saved key would be. */
const SECRET = 'wr-test-3f9a1c7e5b2d4068';
const redactor = new SecretRedactor({ knownSecrets: () => [{ value: SECRET, label: 'secret:test' }] });

/** Two agents in a chain on the real SDK against the fake Messages API, runs in a real SQLite file. */
const workflow = chainWorkflow([
  ['writer', 'agent', { prompt: 'Write about {{in}}' }],
  ['editor', 'agent', { prompt: 'Edit: {{in}}' }],
]);

describe('RunCompareService', () => {
  let workspace: AnthropicWorkspace;
  let engine: RunEngine;
  let store: SqliteRunStore;

  beforeEach(async () => {
    // The fake model repeats the prompt it was given, so answers follow inputs.
    workspace = await openAnthropicWorkspace('warroom-compare-', (request) => ({
      text: `said: ${taskOfRequest(request)}`,
    }));
    ({ engine, store } = workspace.openEngine());
  });
  afterEach(() => workspace.close());

  const runToEnd = (task: string) =>
    engine.wait(engine.start({ workflow, projectDir: workspace.dir, inputs: { task } }).id);

  it("finds where two runs with different inputs diverge: the first agent's first model call", async () => {
    const tea = await runToEnd('green tea');
    const coffee = await runToEnd('black coffee');
    const service = new RunCompareService({ store, redactor });

    const comparison = await service.compare(tea.id, coffee.id);
    expect(comparison.divergence).toMatchObject({ scope: 'writer#1', nodeId: 'writer', kind: 'llm' });
    const { a, b } = comparison.divergence ?? {};
    expect(a?.ordinal).toBe(1);
    expect(JSON.stringify(a?.request)).toContain('Write about green tea');
    expect(JSON.stringify(b?.request)).toContain('Write about black coffee');
    expect(JSON.stringify(a?.answer)).toContain('said: Write about green tea');
    expect(comparison.journal).toEqual({ a: 2, b: 2, shared: 0 });
    const editor = comparison.nodes.find((node) => node.nodeId === 'editor');
    expect(editor?.a?.outputs).toEqual({ out: 'said: Edit: said: Write about green tea' });
    expect(editor?.b?.transcript).toBe('said: Edit: said: Write about black coffee');
    expect(editor?.a?.status).toBe('completed');
  });

  it('finds no divergence between a run and its replay, nor between two runs of the same input', async () => {
    const first = await runToEnd('green tea');
    const replay = await engine.wait(engine.replay(first.id).id);
    const again = await runToEnd('green tea');
    const service = new RunCompareService({ store, redactor });

    const replayed = await service.compare(first.id, replay.id);
    expect(replayed.divergence).toBeNull();
    expect(replayed.journal).toEqual({ a: 2, b: 2, shared: 2 });
    expect(replayed.b.mode).toBe('replay');
    expect((await service.compare(first.id, again.id)).divergence).toBeNull();
  });

  it('redacts what it returns, and names a missing run', async () => {
    const leaky = await runToEnd(`the key ${SECRET}`);
    const plain = await runToEnd('green tea');
    const service = new RunCompareService({ store, redactor });

    const comparison = JSON.stringify(await service.compare(leaky.id, plain.id));
    expect(comparison).not.toContain(SECRET);
    expect(comparison).toContain('the key [REDACTED:secret:test]');
    await expect(service.compare(leaky.id, 'no-such-run')).rejects.toBeInstanceOf(RunNotFoundError);
  });
});
