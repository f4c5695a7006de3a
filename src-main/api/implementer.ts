import { implement } from '@orpc/server';
import { contract } from '@shared/contract';
import { toApiError } from './error-mapping';

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Event streams fail while they are consumed, after the handler returned: map those errors too. */
async function* mapStreamErrors(stream: AsyncIterable<unknown>, logError: (error: unknown) => void) {
  try {
    return yield* stream;
  } catch (error) {
    throw toApiError(error, logError);
  }
}

export function createImplementer(logError: (error: unknown) => void) {
  return implement(contract).use(async ({ next }) => {
    try {
      const result = await next();
      return isAsyncIterable(result.output)
        ? { ...result, output: mapStreamErrors(result.output, logError) as typeof result.output }
        : result;
    } catch (error) {
      throw toApiError(error, logError);
    }
  });
}

/**
 * What each `routes/*.ts` file receives to implement its part of the contract. It lives apart from
 * router.ts so the routes do not import the module that imports them.
 */
export type ApiImplementer = ReturnType<typeof createImplementer>;
