import { describe, expect, it } from 'vitest';
import { buildWorkflow, chainWorkflow, loopWorkflow } from './testing/workflow-builder';
import { edgeChecker, isLoopFeedbackEdge, validate } from '@shared/workflow';

describe('validate(workflow)', () => {
  it('accepts a well-formed pipeline', () => {
    const workflow = chainWorkflow([['shape', 'transform', { template: 'Do: {{in}}' }]]);
    expect(validate(workflow)).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('reports every problem at once, naming node or edge and field', () => {
    const workflow = buildWorkflow(
      [
        ['task', 'input', {}],
        ['mystery', 'teleport', {}],
        ['agent', 'agent', { prompt: '' }],
        ['hits', 'memory-search', {}],
        ['flag', 'condition', { expression: 'in == 1' }],
        ['result', 'output', { name: 'result' }],
      ],
      ['task.value -> agent.nope', 'flag.true -> hits.query', 'agent.out -> ghost.in', 'hits.hits -> hits.query'],
    );
    const { ok, errors } = validate(workflow);
    expect(ok).toBe(false);
    const messages = errors.map((problem) => `${problem.path}: ${problem.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'nodes[0].config.name: node "task" config.name: Invalid input: expected string, received undefined',
        'nodes[1].kind: node "mystery": unknown node kind "teleport"',
        'nodes[2].config.prompt: node "agent" config.prompt: an agent needs a prompt',
        'edges[0].target.port: edge "e0": node "agent" (agent) has no input "nope"',
        'edges[2].target.node: edge "e2": no node "ghost"',
        'edges[3]: edge "e3": hits.hits (list) cannot feed hits.query (text)',
        'nodes[4]: node "flag": required input "in" is not connected',
        'nodes[5]: node "result": required input "value" is not connected',
        'edges: nodes "hits" form a cycle that does not go through a loop node\'s "next" input',
      ]),
    );
    expect(errors.find((problem) => problem.message.includes('teleport'))?.nodeId).toBe('mystery');
    expect(errors.find((problem) => problem.path === 'edges[3]')?.edgeId).toBe('e3');
  });

  it('allows a cycle through a loop node and refuses one that skips it', () => {
    const legal = loopWorkflow({ maxIterations: 3, exitWhen: 'value == "ok"' }, 'ok');
    expect(validate(legal).errors).toEqual([]);

    const illegal = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['a', 'transform', { template: 'a' }],
        ['b', 'transform', { template: 'b' }],
      ],
      ['task.value -> a.in', 'a.out -> b.in', 'b.out -> a.in'],
    );
    expect(validate(illegal).errors.map((problem) => problem.message)).toEqual([
      'nodes "a", "b" form a cycle that does not go through a loop node\'s "next" input',
    ]);
  });

  it('warns about unreachable nodes and single-edge inputs fed twice', () => {
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['other', 'input', { name: 'other' }],
        ['island', 'memory-search', {}],
        ['island2', 'memory-store', {}],
        ['tool', 'tool', { tool: 'recall' }],
      ],
      [
        'island.hits -> island2.text',
        'island2.item -> island.query',
        'task.value -> tool.in',
        'other.value -> tool.in',
      ],
    );
    const result = validate(workflow);
    expect(result.warnings.map((problem) => problem.message)).toEqual([
      'node "island" can never run: nothing leads to it from an input',
      'node "island2" can never run: nothing leads to it from an input',
    ]);
    expect(result.errors.map((problem) => problem.message)).toContain('edge "e3": input "tool.in" takes one edge');
  });

  it('applies one edge rule to the workflow and to a connection not yet drawn', () => {
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['loop', 'loop', { maxIterations: 3, exitWhen: 'value == "ok"' }],
        ['shape', 'tool', { tool: 'recall' }],
        ['join', 'join', {}],
      ],
      [
        'task.value -> loop.in',
        'loop.body -> loop.next',
        'task.value -> join.in',
        'task.value -> join.in',
        'task.value -> shape.in',
        'loop.done -> shape.in',
        'loop.done -> shape.in',
      ],
    );
    expect(validate(workflow).errors.map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      'edges[1]: edge "e1": node "loop" cannot feed itself',
      'edges[3]: edge "e3": connects the same ports as edge "e2"',
      'edges[5].target.port: edge "e5": input "shape.in" takes one edge',
      'edges[6]: edge "e6": connects the same ports as edge "e5"',
    ]);

    const check = edgeChecker(workflow);
    expect(check({ id: 'new', source: { node: 'task', port: 'value' }, target: { node: 'join', port: 'in' } })).toEqual(
      [{ rule: 'duplicate', of: workflow.edges[2] }],
    );
    expect(check({ id: 'new', source: { node: 'loop', port: 'done' }, target: { node: 'join', port: 'in' } })).toEqual(
      [],
    );
    expect(
      check({ id: 'new', source: { node: 'join', port: 'out' }, target: { node: 'shape', port: 'in' } }),
    ).toMatchObject([{ rule: 'input-taken', by: workflow.edges[4] }]);
    expect(
      workflow.edges.map((edge) => isLoopFeedbackEdge(edge, new Map(workflow.nodes.map((n) => [n.id, n])))),
    ).toEqual([false, true, false, false, false, false, false]);
  });
});
