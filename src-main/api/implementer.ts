import { implement } from '@orpc/server';
import { contract } from '@shared/contract';
import { toApiError } from './error-mapping';

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Event streams fail while they are consumed, after the handler returned: map those errors too. */
async function* mapStreamErrors(
  stream: AsyncIterable<unknown>,
  logError: (error: unknown) => void,
  databasePath?: string,
) {
  try {
    return yield* stream;
  } catch (error) {
    throw toApiError(error, logError, databasePath);
  }
}

/** `databasePath`: the profile database, named in the message when writing it fails (full disk, read-only, locked). */
export function createImplementer(logError: (error: unknown) => void, databasePath?: string) {
  return implement(contract).use(async ({ next }) => {
    try {
      const result = await next();
      return isAsyncIterable(result.output)
        ? { ...result, output: mapStreamErrors(result.output, logError, databasePath) as typeof result.output }
        : result;
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
