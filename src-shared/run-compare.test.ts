import { describe, expect, it } from 'vitest';
import { compareRuns, findDivergence, nodeIdOfScope, type ComparedRun, type JournalListing } from './run-compare';
import type { NewRunEvent } from './run-events';
import { modelCallUsage, timedEvents } from './testing/run-events-fixture';
import { aRun } from './testing/run-fixture';
import { CURRENT_WORKFLOW_SCHEMA_VERSION, type Workflow } from './workflow';

const entry = (ordinal: number, scope: string, request: string, kind = 'llm'): JournalListing => ({
  key: `${scope}|${kind}|${request}`,
  kind,
  scope,
  request: { prompt: request },
  ordinal,
});

describe('findDivergence', () => {
  it('finds nothing when both runs made the same requests, even journaled in another order', () => {
    const a = [entry(1, 'left#1', 'x'), entry(2, 'right#1', 'y'), entry(3, 'join#1', 'z')];
    const b = [entry(1, 'right#1', 'y'), entry(2, 'left#1', 'x'), entry(3, 'join#1', 'z')];
    expect(findDivergence(a, b)).toBeNull();
    expect(findDivergence([], [])).toBeNull();
  });

  it("pairs the first request only one run made with the other's request in the same scope", () => {
    const a = [entry(1, 'plan#1', 'same'), entry(2, 'write#1', 'about tea'), entry(3, 'write#1', 'turn 2 tea')];
    const b = [entry(1, 'plan#1', 'same'), entry(2, 'write#1', 'about coffee'), entry(3, 'write#1', 'turn 2 coffee')];
    expect(findDivergence(a, b)).toEqual({ a: a[1], b: b[1] });
  });

  it('takes the earlier divergence of the two runs, and has no counterpart where the other did nothing', () => {
    // b made one more request in a scope a never reached, before a's own first difference.
    const a = [entry(1, 'plan#1', 'same'), entry(2, 'write#1', 'v1'), entry(3, 'check#1', 'late')];
    const b = [entry(1, 'plan#1', 'same'), entry(2, 'extra#1', 'only b'), entry(3, 'write#1', 'v1')];
    expect(findDivergence(a, b)).toEqual({ a: null, b: b[1] });
    // A tool result of the same scope is not the counterpart of a model call.
    const c = [entry(1, 'write#1', 'v2', 'tool')];
    expect(findDivergence([entry(1, 'write#1', 'v1')], c)).toEqual({ a: entry(1, 'write#1', 'v1'), b: null });
  });
});

describe('nodeIdOfScope', () => {
  it("names a scope's node, and a member's by its team and task", () => {
    expect(nodeIdOfScope('writer#2')).toBe('writer');
    expect(nodeIdOfScope('team#1/t3')).toBe('team/t3');
  });
});

const workflow: Workflow = {
  schemaVersion: CURRENT_WORKFLOW_SCHEMA_VERSION,
  id: 'wf',
  name: 'Tea',
  description: '',
  nodes: [
    { id: 'task', kind: 'input', position: { x: 0, y: 0 }, config: {} },
    { id: 'writer', kind: 'agent', label: 'Writer', position: { x: 0, y: 0 }, config: {} },
    { id: 'team', kind: 'team', position: { x: 0, y: 0 }, config: {} },
  ],
  edges: [],
  viewport: { x: 0, y: 0, zoom: 1 },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

type EventSpec = [type: string, nodeId: string | null, data: unknown, second: number];

/** A run of `workflow` with these events (at whole seconds of 2026-01-01) and journal entries. */
function comparedRun(id: string, specs: EventSpec[], journal: JournalListing[]): ComparedRun {
  const events = specs.map(
    ([type, nodeId, data, second]) =>
      [Date.UTC(2026, 0, 1, 0, 0, second), { type, nodeId, data } as NewRunEvent] as const,
  );
  return { run: aRun({ id, projectDir: '/tmp' }), workflow, events: timedEvents(events, id), journal };
}

describe('compareRuns', () => {
  it('lines up both runs per node, members under their team, with what each did and the divergence', () => {
    const a = comparedRun(
      'a',
      [
        ['node.started', 'writer', { scope: 'writer#1', inputs: {} }, 0],
        ['llm.delta', 'writer', { text: 'Tea is ' }, 1],
        ['llm.delta', 'writer', { text: 'calm.' }, 1],
        ['llm.usage', 'writer', { scope: 'writer#1', ...modelCallUsage(0.5) }, 2],
        ['node.completed', 'writer', { scope: 'writer#1', outputs: { out: 'Tea is calm.' } }, 3],
        ['node.started', 'team', { scope: 'team#1', inputs: {} }, 3],
        [
          'team.task.created',
          'team',
          { scope: 'team#1', taskId: 't1', parentId: null, role: 'coder', task: 'x', depth: 0 },
          3,
        ],
        ['team.task.started', 'team', { scope: 'team#1', taskId: 't1' }, 4],
        ['tool.call', 'team/t1', { scope: 'team#1/t1', name: 'read_file', input: { path: 'a' } }, 4],
        ['tool.result', 'team/t1', { scope: 'team#1/t1', name: 'read_file', isError: false, output: 'A' }, 5],
        ['llm.usage', 'team/t1', { scope: 'team#1/t1', ...modelCallUsage(0.25) }, 5],
        [
          'team.task.completed',
          'team',
          { scope: 'team#1', taskId: 't1', result: 'done', usage: modelCallUsage(0.25) },
          6,
        ],
        ['node.failed', 'team', { scope: 'team#1', error: 'boom', policy: 'fail' }, 7],
      ],
      [entry(1, 'writer#1', 'tea')],
    );
    const b = comparedRun(
      'b',
      [
        ['node.started', 'writer', { scope: 'writer#1', inputs: {} }, 0],
        ['llm.delta', 'writer', { text: 'Coffee wakes.' }, 1],
        ['llm.usage', 'writer', { scope: 'writer#1', ...modelCallUsage(0.75) }, 4],
        ['node.completed', 'writer', { scope: 'writer#1', outputs: { out: 'Coffee wakes.' } }, 5],
      ],
      [entry(1, 'writer#1', 'coffee')],
    );
    const answers: Record<string, string> = {
      'writer#1|llm|tea': 'Tea is calm.',
      'writer#1|llm|coffee': 'Coffee wakes.',
    };
    const comparison = compareRuns(a, b, (_side, key) => answers[key]);

    expect(comparison.nodes.map((node) => [node.nodeId, node.label, node.teamNodeId])).toEqual([
      ['task', 'input', null],
      ['writer', 'Writer', null],
      ['team', 'team', null],
      ['team/t1', 't1', 'team'],
    ]);
    const writer = comparison.nodes[1];
    expect(writer?.a).toMatchObject({
      status: 'completed',
      durationMs: 3000,
      costUsd: 0.5,
      transcript: 'Tea is calm.',
    });
    expect(writer?.b).toMatchObject({
      status: 'completed',
      durationMs: 5000,
      costUsd: 0.75,
      outputs: { out: 'Coffee wakes.' },
    });
    expect(comparison.nodes[0]?.a).toBeNull();
    const team = comparison.nodes[2];
    // The team spends what its member spent; the member's transcript has its tool call and result.
    expect(team?.a).toMatchObject({ status: 'failed', error: 'boom', costUsd: 0.25, modelCalls: 1 });
    expect(team?.b).toBeNull();
    expect(comparison.nodes[3]?.a).toMatchObject({
      status: 'completed',
      durationMs: 2000,
      outputs: { result: 'done' },
      transcript: '[tool call] read_file {"path":"a"}\n[tool result] read_file: A\n',
    });

    expect(comparison.divergence).toEqual({
      scope: 'writer#1',
      nodeId: 'writer',
      kind: 'llm',
      a: { ordinal: 1, kind: 'llm', scope: 'writer#1', request: { prompt: 'tea' }, answer: 'Tea is calm.' },
      b: { ordinal: 1, kind: 'llm', scope: 'writer#1', request: { prompt: 'coffee' }, answer: 'Coffee wakes.' },
    });
    expect(comparison.journal).toEqual({ a: 1, b: 1, shared: 0 });
    expect(comparison.sameWorkflow).toBe(true);
  });
});
