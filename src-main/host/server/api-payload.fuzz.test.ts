import { ORPCError } from '@orpc/client';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '@shared/contract';
import { ErrorCode, formatPath } from '@shared/errors';
import { connectOverWebSocket, type ConnectedClient } from '../testing/transports';

/**
 * Arbitrary JSON sent to every procedure of the contract over the real WebSocket server (browser mode):
 * whatever the contract's own schema refuses must come back as a typed BAD_REQUEST whose details name
 * each offending field, exactly the places the schema names, and the server must keep answering.
 * Inputs the schema accepts are not sent: they would run real actions (ingest a directory, start a run).
 */
const CASES_PER_PROCEDURE = 30;
/** One call past this is a hang, not a slow machine: a refused payload never reaches a service. */
const CALL_LIMIT_MS = 10_000;

interface Procedure {
  name: string;
  inputSchema: StandardSchemaV1 | undefined;
  call: (client: ConnectedClient['client'], input: unknown) => Promise<unknown>;
}

/** Every leaf of the contract, found by walking it: a procedure added later is fuzzed without a change here. */
function proceduresOf(router: object, prefix: string[] = []): Procedure[] {
  return Object.entries(router).flatMap(([key, value]): Procedure[] => {
    const path = [...prefix, key];
    const definition = (value as { '~orpc'?: { inputSchema?: StandardSchemaV1 } })['~orpc'];
    if (!definition) return proceduresOf(value as object, path);
    return [
      {
        name: path.join('.'),
        inputSchema: definition.inputSchema,
        call: (client, input) => {
          const target = path.reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], client);
          return (target as (input: unknown) => Promise<unknown>)(input);
        },
      },
    ];
  });
}

const procedures = proceduresOf(contract);
const withInput = procedures.filter((procedure) => procedure.inputSchema !== undefined);

/** The paths the contract's schema itself names for an input, or null when it accepts the input. */
async function refusedPaths(schema: StandardSchemaV1, input: unknown): Promise<string[] | null> {
  const result = await schema['~standard'].validate(input);
  if (!result.issues) return null;
  return result.issues.map((issue) =>
    formatPath((issue.path ?? []).map((key) => (typeof key === 'object' ? key.key : key))),
  );
}

/** Junk of any JSON shape; for object inputs also records of the right keys holding junk, to reach nested fields. */
function payloadsFor(schema: StandardSchemaV1): fc.Arbitrary<unknown> {
  const junk = fc.jsonValue({ maxDepth: 3 });
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  if (!shape) return junk;
  const keys = Object.keys(shape);
  const rightKeys = fc.record(Object.fromEntries(keys.map((key) => [key, fc.jsonValue({ maxDepth: 2 })])), {
    requiredKeys: [],
  });
  return fc.oneof(
    junk,
    rightKeys,
    fc.tuple(rightKeys, fc.string({ maxLength: 8 }), junk).map(([o, k, v]) => ({ ...o, [k]: v })),
  );
}

function withinLimit<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CALL_LIMIT_MS} ms`)), CALL_LIMIT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

describe(`every API procedure over WebSocket, ${CASES_PER_PROCEDURE} arbitrary payloads each (fast-check)`, () => {
  let connection: ConnectedClient;
  beforeAll(async () => {
    connection = await connectOverWebSocket();
  });
  afterAll(() => connection.close());

  it('walks the whole contract', () => {
    expect(procedures.length).toBeGreaterThan(40);
    expect(withInput.length).toBeGreaterThan(20);
    expect(procedures.map((procedure) => procedure.name)).toEqual(
      expect.arrayContaining(['settings.update', 'workflows.import', 'memory.import', 'runs.start']),
    );
  });

  it.each(withInput.map((procedure) => [procedure.name, procedure] as const))(
    '%s refuses what its schema refuses, naming each field, with a typed error',
    async (name, procedure) => {
      const schema = procedure.inputSchema as StandardSchemaV1;
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(payloadsFor(schema), async (input) => {
          const expectedPaths = await refusedPaths(schema, input);
          // Only payloads the schema refuses count (sending accepted ones would run real actions):
          // fast-check draws others in their place, and fails if it cannot find enough.
          fc.pre(expectedPaths !== null);
          sent++;
          const outcome = await withinLimit(
            procedure.call(connection.client, input).then(
              () => ({ ok: true as const }),
              (error: unknown) => ({ ok: false as const, error }),
            ),
            name,
          );
          expect(outcome.ok, `${name} accepted ${JSON.stringify(input)}`).toBe(false);
          const error = (outcome as { error: unknown }).error;
          expect(error).toBeInstanceOf(ORPCError);
          const { code, message, data } = error as ORPCError<string, { issues?: Array<{ path?: PropertyKey[] }> }>;
          expect(code).toBe(ErrorCode.BadRequest);
          expect(message).toBe('Input validation failed');
          const paths = (data.issues ?? []).map((issue) => formatPath(issue.path ?? []));
          expect(paths.length).toBeGreaterThan(0);
          expect(paths).toEqual(expectedPaths);
        }),
        { numRuns: CASES_PER_PROCEDURE },
      );
      expect(sent).toBe(CASES_PER_PROCEDURE);
    },
  );

  it('still answers after all of it', async () => {
    expect((await connection.client.app.info()).name).toBe('War Room');
    expect((await connection.client.app.health()).ok).toBe(true);
  });

  it('procedures without an input ignore a payload by design (they take none), so none is sent to them', () => {
    const without = procedures.filter((procedure) => procedure.inputSchema === undefined).map((p) => p.name);
    expect(without).toEqual(expect.arrayContaining(['app.info', 'settings.get', 'settings.reset']));
  });
});
