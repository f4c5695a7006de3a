import { describe, expect, it } from 'vitest';
import { WarmPool, type Poolable } from './warm-pool';

class FakeItem implements Poolable {
  alive = true;
  constructor(readonly name: string) {}
  async kill(): Promise<void> {
    this.alive = false;
  }
}

function createPool(options: { size?: number; idleTimeoutMs?: number; failStarts?: boolean } = {}) {
  let clock = 0;
  const started: FakeItem[] = [];
  const errors: unknown[] = [];
  const pool = new WarmPool<FakeItem>({
    start: async (key) => {
      if (options.failStarts) throw new Error(`cannot start ${key}`);
      const item = new FakeItem(`${key}#${started.length}`);
      started.push(item);
      return item;
    },
    size: () => options.size ?? 1,
    idleTimeoutMs: () => options.idleTimeoutMs ?? 1000,
    onError: (_key, error) => errors.push(error),
    now: () => clock,
  });
  return { pool, started, errors, advance: (ms: number) => (clock += ms) };
}

describe('WarmPool', () => {
  it('fills a key when warmed, hands each item out once and refills on the next warm', async () => {
    const { pool, started } = createPool({ size: 2 });
    expect(pool.take('python')).toBeUndefined();
    pool.warm('python');
    await pool.settled();
    expect(pool.counts()).toEqual({ python: 2 });
    const first = pool.take('python');
    expect(first?.name).toBe('python#0');
    expect(pool.counts()).toEqual({ python: 1 });
    pool.warm('python');
    await pool.settled();
    expect(started).toHaveLength(3);
    expect(pool.counts()).toEqual({ python: 2 });
  });

  it('skips items that died while waiting', async () => {
    const { pool, started } = createPool();
    pool.warm('node');
    await pool.settled();
    await started[0]?.kill();
    expect(pool.take('node')).toBeUndefined();
  });

  it('reaps the ready items of idle keys and keeps busy keys warm', async () => {
    const { pool, started, advance } = createPool({ idleTimeoutMs: 1000 });
    pool.warm('idle');
    pool.warm('busy');
    await pool.settled();
    advance(600);
    pool.warm('busy');
    advance(600);
    await pool.reapIdle();
    expect(pool.counts()).toEqual({ busy: 1 });
    expect(started.find((item) => item.name.startsWith('idle'))?.alive).toBe(false);
  });

  it('reports failed starts without throwing', async () => {
    const { pool, errors } = createPool({ failStarts: true });
    pool.warm('python');
    await pool.settled();
    expect(pool.counts()).toEqual({ python: 0 });
    expect(String(errors[0])).toContain('cannot start python');
  });

  it('kills everything on close, including items that finish starting afterwards', async () => {
    const { pool, started } = createPool({ size: 2 });
    pool.warm('python');
    await pool.close();
    expect(started.every((item) => !item.alive)).toBe(true);
    pool.warm('python');
    await pool.settled();
    expect(started).toHaveLength(2);
  });
});
