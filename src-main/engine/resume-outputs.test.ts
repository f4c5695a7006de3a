import { describe, expect, it } from 'vitest';
import { createHarness } from './testing/engine-harness';
import { MemoryRunStore } from './testing/memory-run-store';
import { chainWorkflow } from './testing/workflow-builder';

describe('resuming a run whose output node had finished', () => {
  it("gives the run its outputs from the earlier pass's output node", async () => {
    const store = new MemoryRunStore();
    const { engine } = createHarness({ store });
    const workflow = chainWorkflow([['shout', 'transform', { template: '{{in}}!' }]]);
    const first = await engine.wait(engine.start({ workflow, inputs: { task: 'tea' }, projectDir: '/tmp' }).id);
    expect(first.outputs).toEqual({ result: 'tea!' });
    // The host died after the output node's event was written and before the run was marked completed.
    const events = store.events.get(first.id) ?? [];
    store.events.set(
      first.id,
      events.filter((event) => event.type !== 'run.completed'),
    );
    store.updateRun(first.id, { status: 'running', outputs: {}, ownerPid: null }, new Date().toISOString());

    engine.resume(first.id);
    const resumed = await engine.wait(first.id);
    expect(resumed.status).toBe('completed');
    expect(resumed.outputs).toEqual({ result: 'tea!' });
    const reused = (store.events.get(first.id) ?? []).filter(
      (event) => event.type === 'node.completed' && event.nodeId === 'result',
    );
    expect(reused.map((event) => (event.data as { reused?: boolean }).reused)).toEqual([undefined, true]);
  });
});
