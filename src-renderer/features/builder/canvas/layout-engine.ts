import ElkConstructor, { type ELK } from 'elkjs/lib/elk-api';

let engine: ELK | null = null;

/**
 * The page's one ELK, started on first use in a worker of its own, so laying out a large graph never
 * blocks the canvas.
 */
export function layoutEngine(): ELK {
  engine ??= new ElkConstructor({
    workerFactory: () => new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' }),
  });
  return engine;
}
