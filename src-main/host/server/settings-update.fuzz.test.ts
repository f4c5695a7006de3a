import { ORPCError } from '@orpc/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ErrorCode, formatPath } from '@shared/errors';
import { defaultSettings, SettingsPatchSchema, type Settings } from '@shared/settings';
import { connectOverWebSocket, type ConnectedClient } from '../testing/transports';

/**
 * Settings updates fuzzed over the real WebSocket API: sequences of patches whose fields hold valid or
 * junk values. The oracle is each field's own schema, one at a time: a patch with any bad field is refused
 * naming exactly the bad fields (`section.field`) and changes nothing; a good one is stored as given and
 * read back by the next `get`.
 */
const SEQUENCES = 100;

type FieldSchema = z.ZodType;
const sections = Object.entries(SettingsPatchSchema.shape).map(([section, optional]) => ({
  section,
  fields: Object.entries((optional.unwrap() as z.ZodObject).shape as Record<string, FieldSchema>),
}));

/** Values of every JSON kind, numbers and short strings often within a field's bounds, some junk. */
const anyValue = fc.oneof(
  fc.integer({ min: -10, max: 5000 }),
  fc.double({ min: -1, max: 100, noNaN: true }),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', 'claude-sonnet-4-6', 'http://127.0.0.1:8080/v1', 'auto', 'offline', 'anthropic'),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Mostly a value the field surely takes (its default), so that whole patches pass often enough. */
const valueFor = (section: string, field: string) =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc.constant((defaultSettings() as Record<string, Record<string, unknown>>)[section]?.[field]),
    },
    { weight: 1, arbitrary: anyValue },
  );

const patch = fc
  .subarray(sections, { minLength: 1, maxLength: 3 })
  .chain((chosen) =>
    fc.tuple(
      ...chosen.map(({ section, fields }) =>
        fc
          .subarray(fields, { minLength: 1, maxLength: Math.min(3, fields.length) })
          .chain((picked) =>
            fc.tuple(
              ...picked.map(([field]) => valueFor(section, field).map((value) => [section, field, value] as const)),
            ),
          ),
      ),
    ),
  )
  .map((groups) => groups.flat());

const asSentOverJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

describe(`settings updates over WebSocket, ${SEQUENCES} sequences of up to 4 patches (fast-check)`, () => {
  let connection: ConnectedClient;
  beforeAll(async () => {
    connection = await connectOverWebSocket();
  });
  afterAll(() => connection.close());

  it('stores good patches as given and refuses bad ones naming each bad field, changing nothing', async () => {
    let stored = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(patch, { minLength: 1, maxLength: 4 }), async (patches) => {
        let expected = structuredClone(await connection.client.settings.get());
        for (const changes of patches) {
          const body: Record<string, Record<string, unknown>> = {};
          const bad: string[] = [];
          const next = structuredClone(expected) as Record<string, Record<string, unknown>>;
          for (const [section, field, value] of changes) {
            (body[section] ??= {})[field] = value;
            const schema = sections.find((each) => each.section === section)?.fields.find(([name]) => name === field);
            // The oracle judges the value as it arrives: JSON carries -0 as 0.
            const checked = (schema?.[1] as FieldSchema).safeParse(asSentOverJson(value));
            if (checked.success) (next[section] as Record<string, unknown>)[field] = checked.data;
            else bad.push(formatPath([section, field]));
          }
          const outcome = await connection.client.settings.update(body as never).then(
            (settings) => ({ settings }),
            (error: unknown) => ({ error }),
          );
          if (bad.length > 0) {
            refused++;
            expect('error' in outcome, `accepted ${JSON.stringify(body)}`).toBe(true);
            const error = (outcome as { error: unknown }).error;
            expect(error).toBeInstanceOf(ORPCError);
            const { code, data } = error as ORPCError<string, { issues: Array<{ path: PropertyKey[] }> }>;
            expect(code).toBe(ErrorCode.BadRequest);
            // A field's issue may sit deeper (an item of a list field): it is named under that field.
            const named = data.issues.map((issue) => formatPath(issue.path));
            const fieldOf = (place: string) =>
              bad.find((field) => place === field || place.startsWith(`${field}.`) || place.startsWith(`${field}[`));
            expect(
              named.filter((place) => !fieldOf(place)),
              `issues outside ${bad.join(', ')}`,
            ).toEqual([]);
            expect(new Set(named.map(fieldOf))).toEqual(new Set(bad));
          } else {
            stored++;
            expect(outcome).toEqual({ settings: next });
            expected = next as Settings;
          }
          expect(await connection.client.settings.get()).toEqual(expected);
        }
      }),
      { numRuns: SEQUENCES },
    );
    expect(stored).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('refuses sections and fields that do not exist, by name', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-z][A-Za-z]{0,10}$/).filter((name) => !(name in SettingsPatchSchema.shape)),
        async (unknownSection) => {
          const error = await connection.client.settings.update({ [unknownSection]: { x: 1 } } as never).then(
            () => null,
            (caught: unknown) => caught as ORPCError<string, { issues: Array<{ keys?: string[] }> }>,
          );
          expect(error?.code).toBe(ErrorCode.BadRequest);
          expect(error?.data.issues.flatMap((issue) => issue.keys ?? [])).toContain(unknownSection);
        },
      ),
      { numRuns: 50 },
    );
  });
});
