import { describe, expect, it } from 'vitest';
import { costOf } from './pricing';

describe('pricing', () => {
  const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 0, cacheWriteTokens: 0 };

  it('prices by model family, cache writes at 1.25× and reads at 0.1× input', () => {
    expect(costOf('claude-sonnet-4-6', usage)).toBe(18);
    expect(costOf('claude-opus-4-1', usage)).toBe(90);
    expect(costOf('claude-opus-4-5-20251101', usage)).toBe(30);
    expect(costOf('claude-haiku-4-5', usage)).toBe(6);
    expect(
      costOf('claude-sonnet-4-6', {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 1_000_000,
        cacheWriteTokens: 1_000_000,
      }),
    ).toBeCloseTo(0.3 + 3.75, 10);
  });

  it('prices unknown models like Sonnet so budgets still apply', () => {
    expect(costOf('some-new-model', usage)).toBe(18);
  });
});
