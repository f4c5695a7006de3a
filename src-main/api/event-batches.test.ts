import { describe, expect, it } from 'vitest';
import { inBatches } from './event-batches';

/** A source fed by the test: `push` an item, `end` it; records whether it was closed early. */
function feed<T>() {
  const queue: T[] = [];
  const waiting: Array<(result: IteratorResult<T>) => void> = [];
  let ended = false;
  const state = { closed: false };
  const source: AsyncIterable<T> = {
    [Symbol.asyncIterator]: () => ({
      next: () =>
        new Promise<IteratorResult<T>>((resolve) => {
          const item = queue.shift();
          if (item !== undefined) resolve({ value: item, done: false });
          else if (ended) resolve({ value: undefined, done: true });
          else waiting.push(resolve);
        }),
      return: () => {
        state.closed = true;
        return Promise.resolve({ value: undefined, done: true });
      },
    }),
  };
  return {
    source,
    state,
    push(...items: T[]) {
      for (const item of items) {
        const resolve = waiting.shift();
        if (resolve) resolve({ value: item, done: false });
        else queue.push(item);
      }
    },
    end() {
      ended = true;
      for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
    },
  };
}

describe('inBatches', () => {
  it('sends what arrives together as one batch, and what comes later in the next', async () => {
    const items = feed<number>();
    const batches = inBatches(items.source, { windowMs: 20, maxSize: 100 })[Symbol.asyncIterator]();
    items.push(1, 2, 3);
    expect((await batches.next()).value).toEqual([1, 2, 3]);
    const later = batches.next();
    setTimeout(() => items.push(4, 5), 5);
    expect((await later).value).toEqual([4, 5]);
    items.push(6);
    items.end();
    expect((await batches.next()).value).toEqual([6]);
    expect((await batches.next()).done).toBe(true);
  });

  it('closes a batch at maxSize and keeps every item, in order', async () => {
    const items = feed<number>();
    items.push(...Array.from({ length: 25 }, (_, index) => index));
    items.end();
    const batches: number[][] = [];
    for await (const batch of inBatches(items.source, { windowMs: 50, maxSize: 10 })) batches.push(batch);
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, index) => index));
  });

  it('closes the source when the reader leaves early', async () => {
    const items = feed<number>();
    items.push(1, 2);
    for await (const batch of inBatches(items.source, { windowMs: 5, maxSize: 1 })) {
      expect(batch).toEqual([1]);
      break;
    }
    expect(items.state.closed).toBe(true);
  });
});
