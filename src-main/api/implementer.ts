import { implement } from '@orpc/server';
import { contract } from '@shared/contract';
import { mapStrings } from '@shared/map-strings';
import { toApiError } from './error-mapping';

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Event streams fail while they are consumed, after the handler returned: map those errors too. Each
 * item passes `redact` on its way out; closing the stream closes the handler's.
 */
async function* mapStream(
  stream: AsyncIterable<unknown>,
  logError: (error: unknown) => void,
  databasePath: string | undefined,
  redact: <T>(value: T) => T,
) {
  const iterator = stream[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        return next.value;
      }
      yield redact(next.value);
    }
  } catch (error) {
    done = true;
    throw toApiError(error, logError, databasePath);
  } finally {
    if (!done) await iterator.return?.();
  }
}

/**
 * `databasePath`: the profile database, named in the message when writing it fails (full disk, read-only,
 * locked). `redactKnown`: the redactor's known-values pass over everything the API sends (the renderer,
 * MCP clients): outside text was redacted with the full rules where it entered; this last line is cheap
 * enough for every event of a stream.
 */
export function createImplementer(
  logError: (error: unknown) => void,
  databasePath?: string,
  redactKnown?: (text: string) => string,
) {
  const redact = <T>(value: T): T => (redactKnown ? mapStrings(value, redactKnown) : value);
  return implement(contract).use(async ({ next }) => {
    try {
      const result = await next();
      return isAsyncIterable(result.output)
        ? { ...result, output: mapStream(result.output, logError, databasePath, redact) as typeof result.output }
        : { ...result, output: redact(result.output) };
    } catch (error) {
      throw toApiError(error, logError, databasePath);
    }
  });
}

/**
 * What each `routes/*.ts` file receives to implement its part of the contract. It lives apart from
 * router.ts so the routes do not import the module that imports them.
 */
export type ApiImplementer = ReturnType<typeof createImplementer>;
