import { afterEach, beforeEach } from 'vitest';
import { AnthropicProvider, type AnthropicProviderOptions } from '../anthropic-provider';
import { startFakeAnthropicServer, type FakeAnthropicServer } from './fake-anthropic-server';

/** The fake Messages API of the current test, and Anthropic providers on the real SDK pointed at it. */
export interface FakeAnthropicFixture {
  readonly server: FakeAnthropicServer;
  /** A provider against the fake with stream retries 10 ms apart (tests should not wait 500 ms); `options` win. */
  provider(options?: Partial<AnthropicProviderOptions>): AnthropicProvider;
}

/**
 * Starts a fake Messages API before each test of the calling suite and closes it after, so adapter tests
 * share one setup instead of each writing the same hooks. Read `server` inside a test, not at collection.
 */
export function useFakeAnthropic(): FakeAnthropicFixture {
  let current: FakeAnthropicServer | undefined;
  beforeEach(async () => {
    current = await startFakeAnthropicServer();
  });
  afterEach(() => current?.close());
  const server = (): FakeAnthropicServer => {
    if (!current) throw new Error('the fake Messages API runs only inside a test');
    return current;
  };
  return {
    get server() {
      return server();
    },
    provider: (options = {}) =>
      new AnthropicProvider({ apiKey: 'test-key', baseUrl: server().url, streamRetryBaseDelayMs: 10, ...options }),
  };
}
