import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NewRunEvent } from './run-events';
import { foldTaskTree, TaskTreeFold, type TeamTask } from './team-tasks';
import { spacedEvents } from './testing/run-events-fixture';

const usage = (inputTokens: number, outputTokens: number, costUsd: number) => ({ inputTokens, outputTokens, costUsd });

/** The events all at one instant: only their order matters to the task tree. */
const stream = (...events: NewRunEvent[]) => spacedEvents(events, Date.parse('2026-12-02T00:00:00.000Z'), 0);

const created = (scope: string, taskId: string, parentId: string | null, role: string, task = `do ${taskId}`) =>
  ({
    type: 'team.task.created',
    nodeId: scope.split('#')[0] ?? null,
    data: { scope, taskId, parentId, role, task, depth: taskId.split('.').length - 1 },
  }) satisfies NewRunEvent;
const completed = (scope: string, taskId: string, result: string, spent = usage(0, 0, 0)) =>
  ({
    type: 'team.task.completed',
    nodeId: scope.split('#')[0] ?? null,
    data: { scope, taskId, result, usage: spent },
  }) satisfies NewRunEvent;
const modelCall = (scope: string, inputTokens: number, costUsd: number) =>
  ({
    type: 'llm.usage',
    nodeId: scope.replace(/#\d+/, ''),
    data: {
      scope,
      inputTokens,
      outputTokens: 1,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd,
      model: 'claude-sonnet-4-6',
    },
  }) satisfies NewRunEvent;

const shape = (tasks: TeamTask[]): unknown[] =>
  tasks.map((task) => [task.id, task.role, task.status, ...(task.children.length ? [shape(task.children)] : [])]);

describe('foldTaskTree', () => {
  it('nests delegations under their delegator, with status, result and usage', () => {
    const tree = foldTaskTree(
      stream(
        created('crew#1', '1', null, 'coordinator', 'ship the cart'),
        created('crew#1', '1.1', '1', 'planner'),
        created('crew#1', '1.2', '1', 'coder'),
        modelCall('crew#1/1.2', 100, 0.01),
        created('crew#1', '1.1.1', '1.1', 'tester'),
        completed('crew#1', '1.1.1', 'tested', usage(5, 5, 0.001)),
        { type: 'team.task.failed', nodeId: 'crew', data: { scope: 'crew#1', taskId: '1.1', error: 'boom' } },
        modelCall('crew#1/1.2', 50, 0.02),
      ),
    );
    expect(shape(tree)).toEqual([
      [
        'crew#1/1',
        'coordinator',
        'running',
        [
          ['crew#1/1.1', 'planner', 'failed', [['crew#1/1.1.1', 'tester', 'completed']]],
          ['crew#1/1.2', 'coder', 'running'],
        ],
      ],
    ]);
    const [root] = tree;
    expect(root).toMatchObject({ parentId: null, taskId: '1', teamNodeId: 'crew', teamScope: 'crew#1' });
    expect(root?.task).toBe('ship the cart');
    const [planner, coder] = root?.children ?? [];
    expect(planner).toMatchObject({ parentId: 'crew#1/1', error: 'boom', result: null });
    expect(planner?.children[0]).toMatchObject({ result: 'tested', usage: usage(5, 5, 0.001) });
    // A running task shows what its model calls have cost so far.
    expect(coder?.usage.inputTokens).toBe(150);
    expect(coder?.usage.costUsd).toBeCloseTo(0.03);
  });

  it('counts a task created again (a resumed run) once, where it first appeared, with its usage anew', () => {
    const firstPass = [
      created('crew#1', '1', null, 'coordinator'),
      modelCall('crew#1/1', 10, 0.1),
      created('crew#1', '1.1', '1', 'coder'),
      modelCall('crew#1/1.1', 10, 0.1),
    ];
    const tree = foldTaskTree(
      stream(
        ...firstPass,
        ...firstPass,
        completed('crew#1', '1.1', 'coded', usage(10, 1, 0.1)),
        completed('crew#1', '1', 'done', usage(20, 2, 0.2)),
      ),
    );
    expect(shape(tree)).toEqual([['crew#1/1', 'coordinator', 'completed', [['crew#1/1.1', 'coder', 'completed']]]]);
    expect(tree[0]?.usage).toEqual(usage(20, 2, 0.2));
    const resumedRunning = foldTaskTree(stream(...firstPass, ...firstPass));
    expect(resumedRunning[0]?.children[0]?.usage).toEqual(usage(10, 1, 0.1));
  });

  it('keeps each execution of a team node apart, and mesh or vote tasks as roots', () => {
    const tree = foldTaskTree(
      stream(
        created('board#1', 'r1.1', null, 'architect'),
        created('board#1', 'r1.2', null, 'reviewer'),
        created('board#2', 'r1.1', null, 'architect'),
      ),
    );
    expect(tree.map((task) => task.id)).toEqual(['board#1/r1.1', 'board#1/r1.2', 'board#2/r1.1']);
  });

  it('fails unfinished tasks when the run fails or is cancelled, and leaves them running when it pauses', () => {
    const start = [created('crew#1', '1', null, 'coordinator'), completed('crew#1', '1', 'done')];
    const open = created('crew#1', '1.1', '1', 'coder');
    const paused = foldTaskTree(
      stream(start[0] as NewRunEvent, open, {
        type: 'run.paused',
        nodeId: null,
        data: { reason: 'budget', usage: usage(0, 0, 0) },
      }),
    );
    expect(paused[0]?.children[0]?.status).toBe('running');
    const cancelled = foldTaskTree(stream(...start, open, { type: 'run.cancelled', nodeId: null, data: {} }));
    expect(cancelled[0]?.status).toBe('completed');
    expect(cancelled[0]?.children[0]).toMatchObject({ status: 'failed', error: 'the run was cancelled' });
    const failed = foldTaskTree(
      stream(open, { type: 'run.failed', nodeId: null, data: { error: 'disk full', usage: usage(0, 0, 0) } }),
    );
    expect(failed[0]).toMatchObject({ status: 'failed', error: 'the run failed: disk full' });
  });

  it('shows every created task exactly once, whatever the order of the events', () => {
    const taskId = fc.constantFrom('1', '1.1', '1.2', '1.1.1', 'r1.1');
    // As the team makes them, a delegation's id extends its parent's; a parent may not have appeared yet.
    const parentOf = (id: string, kind: 'own' | 'none' | 'missing') =>
      kind === 'none' ? null : kind === 'missing' ? 'gone' : id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : null;
    const anEvent = fc.oneof(
      fc
        .tuple(taskId, fc.constantFrom('own', 'none', 'missing') as fc.Arbitrary<'own' | 'none' | 'missing'>)
        .map(([id, kind]) => created('crew#1', id, parentOf(id, kind), 'coder')),
      taskId.map((id) => completed('crew#1', id, 'ok')),
      taskId.map((id) => modelCall(`crew#1/${id}`, 1, 0)),
    );
    const count = (tasks: TeamTask[]): number => tasks.reduce((sum, task) => sum + 1 + count(task.children), 0);
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 30 }), (events) => {
        const ids = new Set(events.flatMap((event) => (event.type === 'team.task.created' ? [event.data.taskId] : [])));
        expect(count(foldTaskTree(stream(...events)))).toBe(ids.size);
      }),
    );
  });
});

describe('TaskTreeFold', () => {
  it('gives after each event the tree of the stream so far, and a tree it gave never changes afterwards', () => {
    const taskId = fc.constantFrom('1', '1.1', '1.2');
    const anEvent = fc.oneof(
      taskId.map((id) => created('crew#1', id, id === '1' ? null : '1', 'coder')),
      taskId.map((id) => completed('crew#1', id, 'ok', usage(5, 5, 0.5))),
      taskId.map((id) => modelCall(`crew#1/${id}`, 3, 0.25)),
      fc.constant({
        type: 'run.failed',
        nodeId: null,
        data: { error: 'boom', usage: usage(0, 0, 0) },
      } satisfies NewRunEvent),
      fc.constant({ type: 'run.cancelled', nodeId: null, data: {} } satisfies NewRunEvent),
    );
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 25 }), (events) => {
        const all = stream(...events);
        const fold = new TaskTreeFold();
        const given: Array<{ tree: TeamTask[]; copy: string }> = [];
        all.forEach((event, index) => {
          fold.apply(event);
          const tree = fold.tree();
          expect(tree).toEqual(foldTaskTree(all.slice(0, index + 1)));
          given.push({ tree, copy: JSON.stringify(tree) });
        });
        for (const { tree, copy } of given) expect(JSON.stringify(tree)).toBe(copy);
      }),
    );
  });
});
