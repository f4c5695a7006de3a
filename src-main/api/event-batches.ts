/**
 * The items of `source` in batches: a batch starts with the next item and takes what follows within
 * `windowMs` of it, up to `maxSize`. Events a run writes together (the host's follower reads them in one
 * go) leave in one message instead of one each: at thousands of events a second, a message per event
 * cost a viewer more than drawing them.
 */
export async function* inBatches<T>(
  source: AsyncIterable<T>,
  { windowMs, maxSize }: { windowMs: number; maxSize: number },
): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  // A `next` still waiting when a batch closed: the first item of the next batch.
  let pending: Promise<IteratorResult<T>> | null = null;
  let done = false;
  try {
    for (;;) {
      const first = await (pending ?? iterator.next());
      pending = null;
      if (first.done) {
        done = true;
        return;
      }
      const batch = [first.value];
      const closesAt = Date.now() + windowMs;
      while (batch.length < maxSize) {
        const left = closesAt - Date.now();
        if (left <= 0) break;
        pending = iterator.next();
        const next = await within(pending, left);
        if (next === null) break;
        pending = null;
        if (next.done) {
          done = true;
          yield batch;
          return;
        }
        batch.push(next.value);
      }
      yield batch;
    }
  } finally {
    // With a `next` still waiting, `return` would wait for it: the source ends by its own signal then.
    if (!done) {
      if (pending === null) await iterator.return?.();
      else void iterator.return?.();
    }
  }
}

/** What `promise` gives if it settles within `ms`, else null (it is left to settle later). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
