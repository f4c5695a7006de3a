import { describe, expect, it } from 'vitest';
import { evaluateExpression, ExpressionError, renderJsonTemplate, renderTemplate } from './expression';

describe('expressions', () => {
  const scope = { value: { approved: true, score: 7, tags: ['a', 'b'] }, text: 'LGTM: Approved', n: 3 };

  it('evaluates paths, comparisons, logic and functions', () => {
    expect(evaluateExpression('value.approved == true', scope)).toBe(true);
    expect(evaluateExpression('value.score >= 7 && n < 4', scope)).toBe(true);
    expect(evaluateExpression('!(value.score > 7) || false', scope)).toBe(true);
    expect(evaluateExpression('contains(lower(text), "approved")', scope)).toBe(true);
    expect(evaluateExpression('value.tags[1] == "b" && length(value.tags) == 2', scope)).toBe(true);
    expect(evaluateExpression('missing.deep.path', scope)).toBeUndefined();
  });

  it('refuses what it does not understand instead of running it', () => {
    expect(() => evaluateExpression('process.exit(1)', scope)).toThrow(ExpressionError);
    expect(() => evaluateExpression('value +', scope)).toThrow(/unexpected/);
    expect(evaluateExpression('constructor', scope)).toBeUndefined();
  });

  it('fills text and JSON templates', () => {
    expect(renderTemplate('Score {{ value.score }} of {{value}}', scope)).toBe(
      'Score 7 of {"approved":true,"score":7,"tags":["a","b"]}',
    );
    expect(renderJsonTemplate('{"tags": "{{value.tags}}", "label": "n={{n}}"}', scope)).toEqual({
      tags: ['a', 'b'],
      label: 'n=3',
    });
  });
});
