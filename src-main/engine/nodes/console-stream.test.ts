import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { streamConsole } from './console-stream';

describe('streamConsole', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gathers chunks into one event per stream per flush, and emits the rest when the execution ends', () => {
    const emitted: Array<[string, string]> = [];
    const output = streamConsole((stream, text) => emitted.push([stream, text]));
    output.write('stdout', 'a');
    output.write('stderr', 'oops');
    output.write('stdout', 'b');
    expect(emitted).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(emitted).toEqual([
      ['stdout', 'ab'],
      ['stderr', 'oops'],
    ]);
    output.write('stdout', 'c');
    output.end();
    expect(emitted.at(-1)).toEqual(['stdout', 'c']);
    vi.advanceTimersByTime(1000);
    expect(emitted).toHaveLength(3);
  });

  it('streams at most 64 KiB of one execution', () => {
    let streamed = '';
    const output = streamConsole((_stream, text) => (streamed += text));
    for (let index = 0; index < 100; index++) output.write('stdout', 'x'.repeat(1024));
    output.end();
    expect(streamed).toHaveLength(64 * 1024);
  });
});
