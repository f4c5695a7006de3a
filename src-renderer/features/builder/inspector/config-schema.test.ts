import { describe, expect, it } from 'vitest';
import { arrayChoices, configSchema } from './config-schema';

describe('config form schema', () => {
  it('offers the fixed choices of a list, and none for a list of free values', () => {
    expect(arrayChoices({ type: 'array', items: { type: 'string', enum: ['a', 'b'] } })).toEqual(['a', 'b']);
    expect(arrayChoices({ type: 'array', items: { type: 'string' } })).toBeNull();
  });

  it("reads a kind's config schema once and keeps it", () => {
    expect(configSchema('agent')).toBe(configSchema('agent'));
    expect(configSchema('agent')?.properties?.prompt).toBeDefined();
    expect(configSchema('no-such-kind')).toBeNull();
  });
});
