import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import type { NewRunEvent } from '@shared/run-events';
import { openDatabase } from '../../src-main/store/database';
import { SqliteRunStore } from '../../src-main/store/run-repository';
import { aRun } from '../../src-shared/testing/run-fixture';
import { makeThrowawayHome, startHost } from '../fixtures/host';
import { percentile, startFrameRecording, stopFrameRecording, type FrameRecorderWindow } from './frame-times';

/**
 * The war room on a large team run against a small one, both written straight into the profile's
 * database through the real store: the time to open the run view until every event is folded in, and
 * frame times while more events stream in (appended to the database as a live run's are, read by the
 * host's follower). Prints the figures; it asserts only that the work happened.
 */

const EVENTS_PER_BATCH = 100;
/** Streaming: this many events every 100 ms (2,000 events a second), for this long. */
const STREAM_BATCH = 200;
const STREAM_MS = 5000;

interface RunShape {
  id: string;
  agents: number;
  events: number;
}

/** One member's model turn: a call, its streamed text, its usage, then a tool call and its result. */
function memberTurn(member: string, scope: string, turn: number): NewRunEvent[] {
  return [
    { type: 'llm.started', nodeId: member, data: { scope, turn, model: 'claude-sonnet-4-6' } },
    { type: 'llm.delta', nodeId: member, data: { text: `Turn ${turn}: looking at the code. ` } },
    { type: 'llm.delta', nodeId: member, data: { text: 'Reading the file next. ' } },
    {
      type: 'llm.usage',
      nodeId: member,
      data: {
        scope,
        turn,
        inputTokens: 1200,
        outputTokens: 80,
        cacheReadTokens: 900,
        cacheWriteTokens: 20,
        costUsd: 0.0042,
        model: 'claude-sonnet-4-6',
      },
    },
    { type: 'tool.call', nodeId: member, data: { scope, id: `t${turn}`, name: 'read_file', input: { path: 'a.ts' } } },
    {
      type: 'tool.result',
      nodeId: member,
      data: { scope, id: `t${turn}`, name: 'read_file', isError: false, output: 'export const a = 1;' },
    },
  ];
}

/** The events of a running hierarchical team of `agents` members, about `total` of them, interleaved. */
function* teamRunEvents(agents: number, total: number): Generator<NewRunEvent> {
  yield { type: 'run.started', nodeId: null, data: { mode: 'normal', sourceRunId: null, inputs: {} } };
  yield { type: 'node.started', nodeId: 'crew', data: { scope: 'crew#1', inputs: { in: 'ship it' } } };
  const members = Array.from({ length: agents }, (_, index) => (index === 0 ? '1' : `1.${index}`));
  for (const taskId of members) {
    const parentId = taskId === '1' ? null : '1';
    const role = taskId === '1' ? 'coordinator' : 'coder';
    const depth = taskId === '1' ? 0 : 1;
    yield {
      type: 'team.task.created',
      nodeId: 'crew',
      data: { scope: 'crew#1', taskId, parentId, role, task: 'work', depth },
    };
    yield { type: 'team.task.started', nodeId: 'crew', data: { scope: 'crew#1', taskId } };
  }
  let produced = 2 + agents * 2;
  for (let turn = 1; produced < total; turn++) {
    for (const taskId of members) {
      for (const event of memberTurn(`crew/${taskId}`, `crew#1/${taskId}`, turn)) {
        if (produced++ >= total) return;
        yield event;
      }
    }
  }
}

function createRunningRun(home: string, shape: RunShape, startedAt: number): SqliteRunStore {
  const { db } = openDatabase(path.join(home, 'warroom.db'));
  const store = new SqliteRunStore(db);
  const now = new Date(startedAt).toISOString();
  store.createRun({
    ...aRun({
      id: shape.id,
      workflowId: `wf-${shape.id}`,
      workflowName: `Team of ${shape.agents}`,
      status: 'running',
      projectDir: home,
      budget: { maxUsd: 500 },
      createdAt: now,
      updatedAt: now,
    }),
    workflow: {
      schemaVersion: 1,
      id: `wf-${shape.id}`,
      name: `Team of ${shape.agents}`,
      description: '',
      nodes: [
        { id: 'crew', kind: 'team', label: 'Crew', position: { x: 0, y: 0 }, config: { topology: 'hierarchical' } },
      ],
      edges: [],
      viewport: { x: 0, y: 0, zoom: 1 },
      createdAt: now,
      updatedAt: now,
    },
    fork: null,
    // Owned by this (living) process, so the host neither resumes nor pauses it: it just follows it.
    ownerPid: process.pid,
  });
  let batch: NewRunEvent[] = [];
  let stamp = startedAt;
  for (const event of teamRunEvents(shape.agents, shape.events)) {
    batch.push(event);
    if (batch.length === EVENTS_PER_BATCH) {
      store.appendEvents(shape.id, batch, new Date((stamp += 250)).toISOString());
      batch = [];
    }
  }
  if (batch.length > 0) store.appendEvents(shape.id, batch, new Date(stamp + 250).toISOString());
  return store;
}

interface BenchWindow extends FrameRecorderWindow {
  __open?: { clickedAt: number | null; openedAt: number | null };
}

/** The little of the page's document the bench reads (this file is typed without the DOM). */
interface BenchDocument {
  addEventListener(type: 'click', listener: () => void, options: { capture: boolean; once: boolean }): void;
  querySelector(selector: string): { textContent: string | null } | null;
}

/**
 * Times the opening in the page itself: from the click to the first frame showing every event and a
 * lane. (Waiting with Playwright's retrying assertions added up to a second of their polling back-off.)
 */
function watchOpening(page: Page, expectedCount: string): Promise<void> {
  return page.evaluate((expected) => {
    const page = globalThis as unknown as BenchWindow & { document: BenchDocument };
    const open: NonNullable<BenchWindow['__open']> = { clickedAt: null, openedAt: null };
    page.__open = open;
    page.document.addEventListener('click', () => (open.clickedAt = performance.now()), { capture: true, once: true });
    const check = () => {
      const count = page.document.querySelector('[data-testid="war-room-event-count"]');
      if (count?.textContent === expected && page.document.querySelector('[data-testid="timeline-lane"]')) {
        open.openedAt = performance.now();
        return;
      }
      page.requestAnimationFrame(check);
    };
    page.requestAnimationFrame(check);
  }, expectedCount);
}

function openingMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    const open = (globalThis as unknown as BenchWindow).__open;
    if (open?.clickedAt == null || open.openedAt == null) throw new Error('the opening was not seen');
    return open.openedAt - open.clickedAt;
  });
}

interface Figures {
  /** Frames of the Runs page with nothing open: what this machine's load leaves the browser. */
  idle: number[];
  openMs: number;
  frames: number[];
  streamed: number;
}

async function measure(page: Page, shape: RunShape): Promise<Figures> {
  const home = makeThrowawayHome();
  const startedAt = Date.now() - 30 * 60_000;
  const store = createRunningRun(home, shape, startedAt);
  const host = await startHost(home);
  try {
    await page.goto(`${host.url}#/runs`);
    const link = page.getByRole('link', { name: `Team of ${shape.agents}` });
    await link.waitFor();
    await startFrameRecording(page);
    await page.waitForTimeout(2000);
    const idle = await stopFrameRecording(page);
    await watchOpening(page, `${shape.events} events`);
    await link.click();
    await expect(page.getByTestId('war-room-event-count')).toHaveText(`${shape.events} events`, { timeout: 120_000 });
    await page.getByTestId('timeline-lane').first().waitFor();
    const openMs = await openingMs(page);

    // Stream more, as a live run does: each batch is one write the host's follower picks up.
    await startFrameRecording(page);
    const turnsBase = Math.ceil(shape.events / shape.agents);
    let streamed = 0;
    const until = Date.now() + STREAM_MS;
    for (let round = 0; Date.now() < until; round++) {
      const batch: NewRunEvent[] = [];
      for (let index = 0; batch.length < STREAM_BATCH; index++) {
        const member = (round * STREAM_BATCH + index) % shape.agents;
        const taskId = member === 0 ? '1' : `1.${member}`;
        batch.push(...memberTurn(`crew/${taskId}`, `crew#1/${taskId}`, turnsBase + round).slice(0, 4));
      }
      store.appendEvents(shape.id, batch.slice(0, STREAM_BATCH), new Date().toISOString());
      streamed += STREAM_BATCH;
      await page.waitForTimeout(100);
    }
    await expect(page.getByTestId('war-room-event-count')).toHaveText(`${shape.events + streamed} events`, {
      timeout: 60_000,
    });
    const frames = await stopFrameRecording(page);
    return { idle, openMs, frames, streamed };
  } finally {
    await host.stop();
  }
}

/** A figure for both runs, and the large run's as a multiple of the small one's (the baseline). */
function row(label: string, small: number, large: number, unit: string) {
  const ratio = `${(large / small).toFixed(2)}×`;
  return `${label.padEnd(30)} ${small.toFixed(1).padStart(9)} ${unit}  ${large.toFixed(1).padStart(9)} ${unit}  ${ratio.padStart(8)}`;
}

test('war room on a 100-agent, 50,000-event team run vs a 5-agent, 500-event one', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const small = await measure(page, { id: 'bench-small', agents: 5, events: 500 });
  const large = await measure(page, { id: 'bench-large', agents: 100, events: 50_000 });
  const fps = (frames: number[]) => 1000 / (frames.reduce((sum, frame) => sum + frame, 0) / frames.length);
  const lines = [
    '',
    'War room benchmark (Chromium, browser mode)   5 agents / 500   100 agents / 50,000 events   large/small',
    row('idle Runs page: mean fps', fps(small.idle), fps(large.idle), 'fps'),
    row('open until every event is in', small.openMs, large.openMs, 'ms'),
    row('streaming: mean fps', fps(small.frames), fps(large.frames), 'fps'),
    row('streaming: frame p50', percentile(small.frames, 50), percentile(large.frames, 50), 'ms'),
    row('streaming: frame p95', percentile(small.frames, 95), percentile(large.frames, 95), 'ms'),
    row('streaming: longest frame', Math.max(...small.frames), Math.max(...large.frames), 'ms'),
    `events streamed while measuring: ${small.streamed} and ${large.streamed} (${(STREAM_BATCH * 10).toLocaleString()} events/s)`,
    '',
  ];
  console.log(lines.join('\n'));
  expect(large.frames.length).toBeGreaterThan(0);
});
