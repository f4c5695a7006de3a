import { describe, expect, it } from 'vitest';
import { arrayChoices, configSchema } from './config-schema';

describe('config form schema', () => {
  it("offers an agent's built-in tools as choices and leaves room for MCP tools", () => {
    const tools = configSchema('agent')?.properties?.tools;
    const choices = tools ? arrayChoices(tools) : null;
    expect(choices?.options).toEqual(expect.arrayContaining(['read_file', 'write_file', 'recall']));
    expect(choices?.open).toBe(true);
  });

  it('has closed choices for a list of one enum, and none for a list of free values', () => {
    expect(arrayChoices({ type: 'array', items: { type: 'string', enum: ['a', 'b'] } })).toEqual({
      options: ['a', 'b'],
      open: false,
    });
    expect(arrayChoices({ type: 'array', items: { type: 'string' } })).toBeNull();
  });
});
