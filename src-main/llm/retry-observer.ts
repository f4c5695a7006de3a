import { AsyncLocalStorage } from 'node:async_hooks';
import type { LlmRetry } from './port';

/**
 * Sees the retries an HTTP client makes inside one model call. The Anthropic SDK retries 429/5xx and
 * dropped connections itself, out of sight; wrapping its `fetch` shows every request it sends. A request
 * sent after one that failed, within the same call, is a retry. The call is found through async context,
 * because one client serves many concurrent calls (parallel branches, team members).
 */
interface CallState {
  attempts: number;
  /** Why the last request failed: its status, null for a broken connection, undefined if it did not. */
  failure: number | null | undefined;
  onRetry: (retry: LlmRetry) => void;
}

const currentCall = new AsyncLocalStorage<CallState>();

/** Runs one model call with its retries reported to `onRetry` (nothing is observed without one). */
export function observeRetries<T>(
  onRetry: ((retry: LlmRetry) => void) | undefined,
  call: () => Promise<T>,
): Promise<T> {
  if (!onRetry) return call();
  return currentCall.run({ attempts: 0, failure: undefined, onRetry }, call);
}

/**
 * Marks the current call's last request as failed after it was answered (a stream cut mid-way), so the
 * next request is counted as a retry; an error response already marked keeps its status.
 */
export function markStreamBroken(): void {
  const state = currentCall.getStore();
  if (state && state.failure === undefined) state.failure = null;
}

/** A `fetch` for an SDK client that tells the current call about each request it re-sends. */
export function retryObservingFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const state = currentCall.getStore();
    if (!state) return inner(input, init);
    state.attempts++;
    if (state.failure !== undefined) {
      const status = state.failure;
      state.failure = undefined;
      state.onRetry({ attempt: state.attempts, status });
    }
    try {
      const response = await inner(input, init);
      if (!response.ok) state.failure = response.status;
      return response;
    } catch (error) {
      state.failure = null;
      throw error;
    }
  };
}
