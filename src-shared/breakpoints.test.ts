import { describe, expect, it } from 'vitest';
import { breakpointProblem, pendingBreakpoint, toggleBreakpoint } from './breakpoints';

const hit = (seq: number, key: string, nodeId = 'build') => ({
  type: 'breakpoint.hit',
  seq,
  nodeId,
  data: { key, scope: `${nodeId}#1`, kind: 'node', cause: 'breakpoint', pending: { in: seq } },
});
const resumed = (seq: number, key: string) => ({
  type: 'breakpoint.resumed',
  seq,
  nodeId: 'build',
  data: { key, scope: 'build#1', action: 'continue' },
});

describe('breakpoints', () => {
  it('toggles one breakpoint per kind and node, keeping the others', () => {
    const list = toggleBreakpoint([{ kind: 'node', nodeId: 'a' }], { kind: 'tool', nodeId: 'a' });
    expect(list).toEqual([
      { kind: 'node', nodeId: 'a' },
      { kind: 'tool', nodeId: 'a' },
    ]);
    expect(toggleBreakpoint(list, { kind: 'node', nodeId: 'a' })).toEqual([{ kind: 'tool', nodeId: 'a' }]);
  });

  it('finds the point a run is paused on: the last hit nobody resumed, none once the run ended', () => {
    expect(pendingBreakpoint([hit(1, 'node:a#1', 'a'), resumed(2, 'node:a#1')])).toBeNull();
    expect(pendingBreakpoint([hit(1, 'node:a#1', 'a'), resumed(2, 'node:a#1'), hit(3, 'node:b#1', 'b')])).toMatchObject(
      { key: 'node:b#1', nodeId: 'b', seq: 3, pending: { in: 3 } },
    );
    const ended = { type: 'run.cancelled', seq: 4, nodeId: null, data: {} };
    expect(pendingBreakpoint([hit(3, 'node:b#1', 'b'), ended])).toBeNull();
  });

  it('says why a breakpoint cannot apply to a workflow', () => {
    const kinds = new Map([
      ['loop', 'loop'],
      ['coder', 'agent'],
      ['out', 'output'],
    ]);
    expect(breakpointProblem(kinds, { kind: 'node', nodeId: 'out' })).toBeNull();
    expect(breakpointProblem(kinds, { kind: 'loop', nodeId: 'loop', iteration: 2 })).toBeNull();
    expect(breakpointProblem(kinds, { kind: 'tool', nodeId: 'coder' })).toBeNull();
    expect(breakpointProblem(kinds, { kind: 'node', nodeId: 'gone' })).toMatch(/does not have/);
    expect(breakpointProblem(kinds, { kind: 'loop', nodeId: 'coder', iteration: 1 })).toMatch(/not a loop/);
    expect(breakpointProblem(kinds, { kind: 'tool', nodeId: 'out' })).toMatch(/only agents and teams/);
  });
});
