import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseBreakOption } from './break-option';

describe('warroom run --break', () => {
  it("reads a node, a loop iteration and an agent's tool calls, accumulating repeated options", () => {
    let list = parseBreakOption('build');
    list = parseBreakOption('refine@3', list);
    list = parseBreakOption('coder:tools', list);
    expect(list).toEqual([
      { kind: 'node', nodeId: 'build' },
      { kind: 'loop', nodeId: 'refine', iteration: 3 },
      { kind: 'tool', nodeId: 'coder' },
    ]);
  });

  it('refuses what names no node or iteration, saying the syntax', () => {
    expect(() => parseBreakOption('')).toThrow(InvalidArgumentError);
    expect(() => parseBreakOption('loop@0')).toThrow(/<loop>@<N>/);
  });
});
