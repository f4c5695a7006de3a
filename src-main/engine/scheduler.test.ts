import { describe, expect, it } from 'vitest';
import { createHarness, eventTypes } from './testing/engine-harness';
import { ScriptedLlm } from './testing/scripted-llm';
import { buildWorkflow, chainWorkflow, loopWorkflow } from './testing/workflow-builder';

describe('scheduler and simple node kinds', () => {
  it('runs input → transform → condition → output and records every step with seq numbers', async () => {
    const { runToEnd, events } = createHarness();
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['shape', 'transform', { template: '{"title": "{{in}}", "size": "{{inputs.size}}"}', json: true }],
        ['big', 'condition', { expression: 'value.size > 3' }],
        ['yes', 'transform', { template: 'big {{value.title}}' }],
        ['no', 'transform', { template: 'small {{value.title}}' }],
        ['result', 'output', { name: 'result' }],
      ],
      [
        'task.value -> shape.in',
        'shape.out -> big.in',
        'big.true -> yes.in',
        'big.false -> no.in',
        'yes.out -> result.value',
        'no.out -> result.value',
      ],
    );
    const run = await runToEnd(workflow, { task: 'tidy', size: 5 });
    expect(run.status).toBe('completed');
    expect(run.outputs).toEqual({ result: 'big tidy' });
    const all = events(run.id);
    expect(all.map((event) => event.seq)).toEqual(all.map((_event, index) => index + 1));
    expect(eventTypes(all, 'no')).toEqual(['node.skipped']);
    expect(eventTypes(all, 'big')).toEqual(['node.started', 'condition.decided', 'node.completed']);
    expect(all.at(0)?.type).toBe('run.started');
    expect(all.at(-1)?.type).toBe('run.completed');
  });

  it('refuses to run an invalid workflow, with the validation messages', () => {
    const { engine } = createHarness();
    const workflow = buildWorkflow([['x', 'teleport']], []);
    expect(() => engine.start({ workflow, projectDir: '/tmp' })).toThrow(
      /nodes\[0\].kind: node "x": unknown node kind/,
    );
  });

  it('runs 4 independent branches concurrently: 4 × 300 ms model calls finish well under 1200 ms', async () => {
    const llm = new ScriptedLlm(() => ({ text: 'done', delayMs: 300 }));
    const { runToEnd } = createHarness({ llm, maxConcurrency: 4 });
    const branches = ['a', 'b', 'c', 'd'];
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ...branches.map((id): [string, string, Record<string, unknown>] => [id, 'agent', { prompt: `${id}: {{in}}` }]),
        ['all', 'join', { policy: 'all' }],
        ['result', 'output', { name: 'result' }],
      ],
      [...branches.flatMap((id) => [`task.value -> ${id}.in`, `${id}.out -> all.in`]), 'all.out -> result.value'],
    );
    const started = Date.now();
    const run = await runToEnd(workflow, { task: 't' });
    const elapsed = Date.now() - started;
    expect(run.outputs).toEqual({ result: ['done', 'done', 'done', 'done'] });
    expect(llm.calls).toHaveLength(4);
    expect(elapsed).toBeLessThan(700);
  });

  it('respects the concurrency limit', async () => {
    const llm = new ScriptedLlm(() => ({ text: 'done', delayMs: 150 }));
    const { runToEnd } = createHarness({ llm, maxConcurrency: 1 });
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['a', 'agent', { prompt: 'a' }],
        ['b', 'agent', { prompt: 'b' }],
        ['result', 'output', { name: 'result' }],
        ['result2', 'output', { name: 'result2' }],
      ],
      ['task.value -> a.in', 'task.value -> b.in', 'a.out -> result.value', 'b.out -> result2.value'],
    );
    const started = Date.now();
    await runToEnd(workflow, { task: 't' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('loops until the exit expression holds, bounded by maxIterations', async () => {
    const { runToEnd, events } = createHarness();
    const workflow = loopWorkflow({ maxIterations: 10, exitWhen: 'length(value) >= 4' }, '{{in}}x');
    const run = await runToEnd(workflow, { task: 'x' });
    expect(run.outputs).toEqual({ result: 'xxxx' });
    expect(eventTypes(events(run.id), 'body').filter((type) => type === 'node.completed')).toHaveLength(3);

    const bounded = loopWorkflow({ maxIterations: 2, exitWhen: 'false' }, '{{in}}y');
    expect((await runToEnd(bounded, { task: '' })).outputs).toEqual({ result: 'yy' });
  });

  it('maps a node over a list and joins with first/any policies', async () => {
    const { runToEnd } = createHarness();
    const workflow = buildWorkflow(
      [
        ['items', 'input', { name: 'items' }],
        ['each', 'map', { item: { kind: 'transform', config: { template: '<{{in}}>' } } }],
        ['fast', 'transform', { template: 'fast' }],
        ['first', 'join', { policy: 'first' }],
        ['mapped', 'output', { name: 'mapped' }],
        ['winner', 'output', { name: 'winner' }],
      ],
      [
        'items.value -> each.list',
        'each.out -> mapped.value',
        'items.value -> fast.in',
        'fast.out -> first.in',
        'each.out -> first.in',
        'first.out -> winner.value',
      ],
    );
    const run = await runToEnd(workflow, { items: ['a', 'b', 'c'] });
    expect(run.outputs.mapped).toEqual(['<a>', '<b>', '<c>']);
    expect(['fast', ['<a>', '<b>', '<c>']]).toContainEqual(run.outputs.winner);
  });

  it('applies failure policies: fail the run, continue, or route to the error port', async () => {
    const { runToEnd } = createHarness();
    const nodes = (onError: string): Array<[string, string, Record<string, unknown>]> => [
      ['task', 'input', { name: 'task' }],
      ['bad', 'transform', { template: '{{ value + }}', onError }],
      ['after', 'transform', { template: 'after' }],
      ['handler', 'transform', { template: 'handled: {{value.message}}' }],
      ['result', 'output', { name: 'result' }],
      ['errors', 'output', { name: 'errors' }],
    ];
    const edges = [
      'task.value -> bad.in',
      'bad.out -> after.in',
      'after.out -> result.value',
      'bad.error -> handler.in',
      'handler.out -> errors.value',
    ];
    const failed = await runToEnd(buildWorkflow(nodes('fail'), edges), { task: 1 });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/node "bad": unexpected/);
    const continued = await runToEnd(buildWorkflow(nodes('continue'), edges), { task: 1 });
    expect(continued.status).toBe('completed');
    expect(continued.outputs).toEqual({});
    const routed = await runToEnd(buildWorkflow(nodes('route'), edges), { task: 1 });
    expect(routed.outputs).toEqual({ errors: expect.stringMatching(/^handled: unexpected/) });
  });

  it('times a node out and applies its failure policy', async () => {
    const llm = new ScriptedLlm(() => ({ text: 'late', delayMs: 2000 }));
    const { runToEnd } = createHarness({ llm });
    const workflow = chainWorkflow([['slow', 'agent', { prompt: 'x', timeoutMs: 100 }]]);
    const started = Date.now();
    const run = await runToEnd(workflow, { task: 1 });
    expect(run.status).toBe('failed');
    expect(run.error).toBe('node "slow": node "slow" timed out after 100 ms');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('runs a subworkflow with the node input as its inputs', async () => {
    const child = buildWorkflow(
      [
        ['name', 'input', { name: 'name' }],
        ['greet', 'transform', { template: 'hello {{in}}' }],
        ['greeting', 'output', { name: 'greeting' }],
      ],
      ['name.value -> greet.in', 'greet.out -> greeting.value'],
      'child',
    );
    const { runToEnd } = createHarness({ workflows: { child } });
    const parent = chainWorkflow([['call', 'subworkflow', { workflowId: 'child' }]]);
    expect((await runToEnd(parent, { task: { name: 'Ada' } })).outputs).toEqual({ result: { greeting: 'hello Ada' } });
  });

  it('fails a code node clearly when no sandbox is configured, never running it on the host', async () => {
    const { runToEnd } = createHarness({ sandbox: null });
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['code', 'code', { language: 'python', code: 'print(1)' }],
      ],
      ['task.value -> code.in'],
    );
    const run = await runToEnd(workflow, { task: 1 });
    expect(run.error).toMatch(/sandbox unavailable/);
  });
});
