import { describe, expect, it } from 'vitest';
import { compareItem, parseCompareItem } from './compare-route';
import { hasChanges, lineDiff } from './line-diff';

describe('compare route', () => {
  it('round-trips two run ids, and rejects anything else', () => {
    expect(parseCompareItem(compareItem('run_1', 'run-2'))).toEqual({ a: 'run_1', b: 'run-2' });
    expect(parseCompareItem('run_1')).toBeNull();
    expect(parseCompareItem(null)).toBeNull();
    expect(parseCompareItem('compare/a..')).toBeNull();
    expect(parseCompareItem('compare/a..b..c')).toBeNull();
  });
});

describe('lineDiff', () => {
  it('marks kept, removed and added lines in order', () => {
    const lines = lineDiff('tea\nis\ncalm\n', 'tea\nis not\ncalm');
    expect(lines).toEqual([
      { kind: 'same', text: 'tea' },
      { kind: 'removed', text: 'is' },
      { kind: 'added', text: 'is not' },
      { kind: 'same', text: 'calm' },
    ]);
    expect(lineDiff('', 'new')).toEqual([{ kind: 'added', text: 'new' }]);
    expect(hasChanges(lines)).toBe(true);
    expect(hasChanges(lineDiff('same', 'same'))).toBe(false);
  });
});
