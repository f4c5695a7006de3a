import type { Page } from '@playwright/test';

/** The page's globals the frame recorder touches (the e2e code is type-checked without the DOM library). */
export interface FrameRecorderWindow {
  __frames?: number[];
  requestAnimationFrame(callback: (now: number) => void): number;
}

/** Starts recording, in the page, the time between consecutive animation frames. */
export function startFrameRecording(page: Page): Promise<void> {
  return page.evaluate(() => {
    const page = globalThis as unknown as FrameRecorderWindow;
    const frames: number[] = [];
    page.__frames = frames;
    let last = performance.now();
    const tick = (now: number) => {
      frames.push(now - last);
      last = now;
      if (page.__frames === frames) page.requestAnimationFrame(tick);
    };
    page.requestAnimationFrame(tick);
  });
}

/** Stops the recording and returns its frame times, less the first (measured from the start, not a frame). */
export function stopFrameRecording(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const page = globalThis as unknown as FrameRecorderWindow;
    const frames = page.__frames ?? [];
    page.__frames = undefined;
    return frames.slice(1);
  });
}

/** Frame times while `action` runs. */
export async function frameTimesDuring(page: Page, action: () => Promise<void>): Promise<number[]> {
  await startFrameRecording(page);
  await action();
  return stopFrameRecording(page);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
