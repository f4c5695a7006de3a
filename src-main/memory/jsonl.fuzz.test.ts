import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryKindSchema } from '@shared/memory';
import { MemoryImportError } from './errors';
import { exportLine, parseJsonLines } from './jsonl';
import type { MemoryItem } from './port';

/**
 * Memory JSONL import fuzzed with fast-check: exported items come back exactly; any text is parsed or
 * refused with problems that name a line of the input; an item with one field broken or removed is
 * refused at its line, the message starting with that field's path.
 */
const timestamp = fc
  .date({ min: new Date('2000-01-01T00:00:00.000Z'), max: new Date('2100-01-01T00:00:00.000Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

const item: fc.Arbitrary<MemoryItem> = fc.record({
  id: fc.stringMatching(/^[a-z0-9-]{1,24}$/),
  namespace: fc.stringMatching(/^[a-z][a-z0-9:/-]{0,30}$/),
  kind: fc.constantFrom(...MemoryKindSchema.options),
  text: fc.string({ maxLength: 80 }),
  metadata: fc.dictionary(
    fc.string({ maxLength: 6 }),
    fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null)),
    { maxKeys: 2 },
  ),
  provenance: fc.record(
    {
      runId: fc.string({ maxLength: 10 }),
      nodeId: fc.string({ maxLength: 10 }),
      file: fc.string({ maxLength: 20 }),
      lineStart: fc.integer({ min: 1, max: 10_000 }),
      lineEnd: fc.integer({ min: 1, max: 10_000 }),
    },
    { requiredKeys: [] },
  ),
  pinned: fc.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  lastUsedAt: fc.option(timestamp, { nil: null }),
});
const items = fc.uniqueArray(item, { selector: (each) => each.id, minLength: 1, maxLength: 4 });

const FIELDS = [
  'id',
  'namespace',
  'kind',
  'text',
  'metadata',
  'provenance',
  'pinned',
  'createdAt',
  'updatedAt',
  'lastUsedAt',
] as const;

/** The problems of a refused import; anything thrown other than MemoryImportError fails the property. */
function problemsOf(jsonLines: string): MemoryImportError['problems'] | null {
  try {
    parseJsonLines(jsonLines);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(MemoryImportError);
    return (error as MemoryImportError).problems;
  }
}

describe('memory JSONL import (fast-check)', () => {
  it('reads back exactly what export wrote (500 cases)', () => {
    fc.assert(
      fc.property(items, (exported) => {
        // JSON has no -0: what export can promise is the items as JSON carries them.
        expect(parseJsonLines(exported.map(exportLine).join('\n'))).toEqual(JSON.parse(JSON.stringify(exported)));
      }),
      { numRuns: 500 },
    );
  });

  it('answers any text with items or problems that each name one of its lines (2,000 cases)', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc
        .array(
          fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
          { maxLength: 5 },
        )
        .map((lines) => lines.join('\n')),
      fc.tuple(items, fc.nat()).map(([exported, cut]) => {
        const text = exported.map(exportLine).join('\r\n');
        return text.slice(0, cut % (text.length + 1));
      }),
    );
    fc.assert(
      fc.property(text, (input) => {
        const problems = problemsOf(input);
        const lineCount = input.split(/\r?\n/).length;
        for (const problem of problems ?? []) {
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.line).toBeLessThanOrEqual(lineCount);
          expect(problem.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses an item with one field broken or removed at its line, naming the field (1,000 cases)', () => {
    const change = fc.record({
      exported: items,
      pick: fc.nat(),
      field: fc.constantFrom(...FIELDS),
      replacement: fc.option(fc.record({ value: fc.jsonValue({ maxDepth: 2 }) }), { nil: undefined }),
    });
    let refused = 0;
    fc.assert(
      fc.property(change, ({ exported, pick, field, replacement }) => {
        const index = pick % exported.length;
        const lines = exported.map((each, position) => {
          if (position !== index) return exportLine(each);
          const broken = replacement
            ? { ...each, [field]: replacement.value }
            : Object.fromEntries(Object.entries(each).filter(([key]) => key !== field));
          return JSON.stringify(broken);
        });
        const problems = problemsOf(lines.join('\n'));
        if (problems === null) return;
        refused++;
        // An id changed to another item's id makes one of the two lines a duplicate: whichever comes later.
        const takesOtherId = field === 'id' && exported.some((other) => other.id === replacement?.value);
        if (takesOtherId) {
          expect(problems.map((problem) => problem.message).join('\n')).toMatch(/already appears on line/);
          return;
        }
        expect(problems).toHaveLength(1);
        expect(problems[0]?.line).toBe(index + 1);
        expect(problems[0]?.message).toMatch(new RegExp(`^${field}[:.]`));
      }),
      { numRuns: 1000 },
    );
    expect(refused).toBeGreaterThan(500);
  });
});
