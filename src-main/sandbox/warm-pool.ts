/** What the pool holds: something started ahead of time that can be disposed of. */
export interface Poolable {
  readonly alive: boolean;
  kill(): Promise<void>;
}

export interface WarmPoolOptions<T extends Poolable> {
  /** Starts one item for a key (a cold start). */
  start: (key: string) => Promise<T>;
  /** How many ready items to keep per key; read on every refill so settings changes apply. */
  size: () => number;
  /** Keys unused for this long lose their ready items and stop being refilled. */
  idleTimeoutMs: () => number;
  /** Told about refills that failed; the pool stops refilling that key until it is used again. */
  onError?: (key: string, error: unknown) => void;
  now?: () => number;
}

interface KeyState<T> {
  ready: T[];
  starting: number;
  lastUsedAt: number;
}

/**
 * Keeps items started ahead of use, per key, so taking one costs nothing. A key warms up when `warm` is
 * called and cools down when idle; every item is single-use and replaced by the next `warm`.
 */
export class WarmPool<T extends Poolable> {
  private readonly keys = new Map<string, KeyState<T>>();
  private readonly pendingStarts = new Set<Promise<unknown>>();
  private reaper: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: WarmPoolOptions<T>) {
    this.now = options.now ?? Date.now;
  }

  /**
   * A ready item for the key, if one is waiting. The replacement is not started here: call `warm` once the
   * item's work is done, so starting it does not compete with that work for the CPU and the engine.
   */
  take(key: string): T | undefined {
    const state = this.stateFor(key);
    state.lastUsedAt = this.now();
    let item: T | undefined;
    while ((item = state.ready.shift()) !== undefined && !item.alive) {
      // A ready item that died while waiting (killed from outside) is dropped.
    }
    return item;
  }

  /** Fills the key's pool up to its size (marking the key as in use). */
  warm(key: string): void {
    this.stateFor(key).lastUsedAt = this.now();
    this.refill(key);
  }

  /** Ready items per key. */
  counts(): Record<string, number> {
    return Object.fromEntries(
      [...this.keys].map(([key, state]) => [key, state.ready.filter((item) => item.alive).length]),
    );
  }

  /** Resolves once no refill is in progress (benchmarks and tests wait for a warm pool with it). */
  async settled(): Promise<void> {
    while (this.pendingStarts.size > 0) await Promise.allSettled([...this.pendingStarts]);
  }

  /** Disposes of ready items for keys idle longer than the idle timeout. */
  async reapIdle(): Promise<void> {
    const cutoff = this.now() - this.options.idleTimeoutMs();
    const idle: T[] = [];
    for (const [key, state] of this.keys) {
      if (state.lastUsedAt > cutoff) continue;
      idle.push(...state.ready);
      if (state.starting === 0) this.keys.delete(key);
      else state.ready = [];
    }
    await Promise.allSettled(idle.map((item) => item.kill()));
  }

  /** Disposes of everything, including items still starting; nothing is started afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = null;
    const ready = [...this.keys.values()].flatMap((state) => state.ready);
    this.keys.clear();
    await Promise.allSettled(ready.map((item) => item.kill()));
    await this.settled();
  }

  private stateFor(key: string): KeyState<T> {
    let state = this.keys.get(key);
    if (!state) {
      state = { ready: [], starting: 0, lastUsedAt: this.now() };
      this.keys.set(key, state);
    }
    this.ensureReaper();
    return state;
  }

  private ensureReaper(): void {
    if (this.reaper || this.closed) return;
    const intervalMs = Math.max(1000, Math.min(60_000, this.options.idleTimeoutMs() / 4));
    this.reaper = setInterval(() => void this.reapIdle(), intervalMs);
    // The reaper must not keep a CLI process alive.
    this.reaper.unref();
  }

  private refill(key: string): void {
    const state = this.keys.get(key);
    if (!state || this.closed) return;
    const missing = this.options.size() - state.ready.length - state.starting;
    for (let index = 0; index < missing; index++) {
      state.starting++;
      const start = this.options
        .start(key)
        .then(
          async (item) => {
            if (this.closed || this.keys.get(key) !== state) await item.kill();
            else state.ready.push(item);
          },
          (error: unknown) => this.options.onError?.(key, error),
        )
        .finally(() => {
          state.starting--;
          this.pendingStarts.delete(start);
        });
      this.pendingStarts.add(start);
    }
  }
}
