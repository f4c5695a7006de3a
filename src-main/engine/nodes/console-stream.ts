import type { SandboxOutputStream } from '../../sandbox/port';

/** How long output gathers before it becomes one event: a chatty program makes a few events a second, not thousands. */
const CONSOLE_FLUSH_MS = 100;
/** What one execution streams at most; past it the console waits for the final tails of `sandbox.executed`. */
const MAX_STREAMED_CHARS = 64 * 1024;

export interface ConsoleStream {
  /** The sandbox's `onOutput`: gathers a chunk. */
  write(stream: SandboxOutputStream, chunk: string): void;
  /** Emits what is gathered and stops the timer (call when the execution ends, however it ends). */
  end(): void;
}

/**
 * Turns a sandbox's output chunks into a few `sandbox.output` events as they arrive, so the run view's
 * console streams while the program runs. Capped: the whole output is journaled, the events carry a view.
 */
export function streamConsole(emit: (stream: SandboxOutputStream, text: string) => void): ConsoleStream {
  const gathered: Record<SandboxOutputStream, string> = { stdout: '', stderr: '' };
  let streamed = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (gathered[stream] === '') continue;
      emit(stream, gathered[stream]);
      gathered[stream] = '';
    }
  };
  return {
    write(stream, chunk) {
      const room = MAX_STREAMED_CHARS - streamed;
      if (room <= 0 || chunk === '') return;
      const kept = chunk.slice(0, room);
      streamed += kept.length;
      gathered[stream] += kept;
      timer ??= setTimeout(flush, CONSOLE_FLUSH_MS);
    },
    end() {
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}
