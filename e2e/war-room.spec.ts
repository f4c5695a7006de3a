import type { Page } from '@playwright/test';
import fs from 'node:fs';
import type { FakeReply, FakeRequest } from '../src-main/llm/testing/fake-anthropic-server';
import { costOf } from '../src-main/llm/pricing';
import { startRun } from './fixtures/canvas';
import { createGate } from './fixtures/fake-model';
import type { RunningHost } from './fixtures/host';
import { expect, test } from './fixtures/test';
import { laneOf, selectLane } from './fixtures/war-room';

/**
 * The war room against the real host in browser mode, the model replaced by the local fake: a team run
 * watched live (lanes appearing and growing, the task tree, the charts' totals), and a run with a
 * sandboxed code step (its console) forked from the canvas with no model call upstream. Screenshots of
 * the war room are kept in test-results/.
 */
let gate: ReturnType<typeof createGate>;

/** Every call reports the same usage, so the expected totals are the number of calls times these. */
const USAGE = { inputTokens: 100, outputTokens: 10, cacheReadTokens: 40, cacheWriteTokens: 5 };
const TOKENS_PER_CALL = 155;

const firstMessage = (request: FakeRequest) => JSON.stringify(request.body.messages[0]?.content ?? '');
const isPlanner = (request: FakeRequest) => firstMessage(request).includes('PLAN-STEP');

function script(released: Promise<void>) {
  return async (request: FakeRequest): Promise<FakeReply> => {
    const isCoordinator = request.body.tools?.some((tool) => tool.name === 'delegate') ?? false;
    if (isCoordinator) {
      if (request.body.messages.length > 1) return { ...USAGE, text: 'Delivered: coded and tested.' };
      return {
        ...USAGE,
        toolUses: [
          { id: 'd1', name: 'delegate', input: { role: 'coder', task: 'Code it' } },
          { id: 'd2', name: 'delegate', input: { role: 'tester', task: 'Test it' } },
        ],
      };
    }
    const task = firstMessage(request);
    if (isPlanner(request)) return { ...USAGE, text: 'Plan: a health endpoint, then its test.', chunkDelayMs: 5 };
    if (task.includes('Code it')) {
      await released;
      return { ...USAGE, text: 'Coded.' };
    }
    if (task.includes('Test it')) return { ...USAGE, text: 'Tested.' };
    if (task.includes('SUMMARIZE')) return { ...USAGE, text: `Summary of ${task.length} characters.` };
    // Memory synthesis after the run: nothing worth keeping.
    return { ...USAGE, text: '[]' };
  };
}

function workflowFile(name: string, nodes: unknown[], edges: Array<[string, string, string, string]>): string {
  const now = new Date().toISOString();
  const file = test.info().outputPath(`${name.replace(/\W+/g, '-').toLowerCase()}.json`);
  const document = {
    schemaVersion: 1,
    id: `wf-${name.replace(/\W+/g, '-').toLowerCase()}`,
    name,
    description: '',
    nodes,
    edges: edges.map(([source, sourcePort, target, targetPort], index) => ({
      id: `e${index + 1}`,
      source: { node: source, port: sourcePort },
      target: { node: target, port: targetPort },
    })),
    viewport: { x: 0, y: 0, zoom: 1 },
    createdAt: now,
    updatedAt: now,
  };
  fs.writeFileSync(file, JSON.stringify(document));
  return file;
}

const node = (id: string, kind: string, x: number, config: Record<string, unknown>) => ({
  id,
  kind,
  label: id,
  position: { x, y: 0 },
  config,
});

/** Imports a workflow file in the library and opens it in the Builder, ready to run. */
async function openImportedWorkflow(page: Page, host: RunningHost, file: string, name: string): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByText(new RegExp(`Imported “${name}”`))).toBeVisible();
  await page.getByRole('link', { name }).first().click();
  await expect(page.getByTestId('no-problems')).toBeVisible();
}

test.beforeEach(({ fake, projectDir }) => {
  gate = createGate();
  fake.setScript(script(gate.opened));
  // Mounted into the sandbox, where the program runs as an unprivileged user: it must be able to enter it.
  fs.chmodSync(projectDir, 0o755);
});

test.afterEach(() => gate.open());

test('a team run in the war room: lanes appear and grow live, the task tree, and charts with the right totals', async ({
  page,
  fake,
  fakeModelHost,
  projectDir,
}) => {
  const file = workflowFile(
    'War room team',
    [
      node('task', 'input', 0, { name: 'task' }),
      node('plan', 'agent', 240, { prompt: 'PLAN-STEP {{in}}' }),
      node('crew', 'team', 480, {
        topology: 'hierarchical',
        prompt: 'Deliver: {{in}}',
        members: [{ role: 'coder' }, { role: 'tester' }],
        maxAgents: 6,
        maxDepth: 1,
      }),
      node('summary', 'output', 720, { name: 'summary' }),
    ],
    [
      ['task', 'value', 'plan', 'in'],
      ['plan', 'out', 'crew', 'in'],
      ['crew', 'out', 'summary', 'value'],
    ],
  );
  await openImportedWorkflow(page, fakeModelHost, file, 'War room team');
  await startRun(page, projectDir, { task: 'add a health endpoint' });
  await page.getByRole('link', { name: 'Open in war room' }).click();

  const room = page.getByRole('region', { name: 'War room' });
  const lanes = room.getByTestId('timeline-lane');
  // The coder waits for the test: the run is live, its members' lanes are there, nested under the team.
  await expect(lanes.filter({ hasText: 'coder · 1.1' })).toBeVisible();
  await expect(lanes.filter({ hasText: 'tester · 1.2' })).toBeVisible();
  expect(await lanes.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-lane')))).toEqual([
    'task',
    'plan',
    'crew',
    'crew/1',
    'crew/1.1',
    'crew/1.2',
  ]);
  await expect(room.getByTestId('run-detail-status')).toHaveText('running');
  await expect(room.getByTestId('timeline-now')).toBeVisible();
  const coderLane = lanes.filter({ hasText: 'coder · 1.1' });
  const openModelCall = coderLane.locator('[data-testid="timeline-span"][data-kind="model"][data-open="true"]');
  await expect(openModelCall).toHaveCount(1);
  // An open span grows with the clock while the run is live.
  const widthBefore = (await openModelCall.boundingBox())?.width ?? 0;
  await expect.poll(async () => (await openModelCall.boundingBox())?.width ?? 0).toBeGreaterThan(widthBefore);
  await expect(laneOf(room, 'plan').locator('[data-kind="model"]')).toHaveCount(1);

  await room.getByRole('tab', { name: 'Team' }).click();
  const tree = room.getByTestId('task-tree');
  for (const role of ['coordinator', 'coder', 'tester']) await expect(tree).toContainText(role);
  await expect(room.getByTestId('team-counts')).toHaveText('2 working · 1 done');
  await page.screenshot({ path: test.info().outputPath('war-room-live.png'), fullPage: true });

  gate.open();
  await expect(room.getByTestId('run-detail-status')).toHaveText('completed');
  await expect(room.getByTestId('team-counts')).toHaveText('3 done');
  await expect(room.getByTestId('timeline-now')).toHaveCount(0);
  await expect(coderLane.locator('[data-open="true"]')).toHaveCount(0);

  // Clicking a span opens its details: the events that opened and closed it.
  await laneOf(room, 'plan').locator('[data-kind="model"]').click();
  const details = room.getByTestId('span-details');
  await expect(details).toContainText('model call');
  await expect(details).toContainText('llm.started');
  await expect(details).toContainText('llm.usage');

  // The planner's transcript, selected from its lane.
  await room.getByRole('tab', { name: 'Transcript' }).click();
  await selectLane(room, 'plan');
  await expect(room.getByTestId('agent-transcript')).toContainText('Plan: a health endpoint, then its test.');

  // The charts' totals: every call the fake answered (synthesis included) and what the run recorded.
  await expect.poll(() => fake.requests.length).toBe(6);
  await room.getByRole('tab', { name: 'Cost and tokens' }).click();
  const calls = fake.requests.length;
  await expect(room.getByTestId('calls-total')).toHaveText(String(calls));
  await expect(room.getByTestId('tokens-total')).toHaveText(String(calls * TOKENS_PER_CALL));
  await expect(room.getByTestId('cache-read-total')).toHaveText(String(calls * USAGE.cacheReadTokens));
  await expect(room.getByTestId('cache-write-total')).toHaveText(String(calls * USAGE.cacheWriteTokens));
  await page.getByRole('button', { name: 'Refresh' }).click();
  const listedCost = await page.locator('.row-selected td').last().textContent();
  await expect(room.getByTestId('cost-total')).toHaveText(listedCost ?? '');
  // The run's total and one line per agent: the planner, the coordinator, its two members and the
  // memory synthesis (calls of no node).
  const spend = room.getByRole('figure', { name: 'Spend over time' });
  await expect(spend.locator('.recharts-line')).toHaveCount(6);
  // Each agent's final spend is what its calls to the fake cost: the fake's usage, priced per request.
  // Memory synthesis reads the whole run (the tasks, the team's delivery): it is none of these agents.
  const agentOf = (request: FakeRequest) =>
    firstMessage(request).includes('Delivered: coded and tested.')
      ? null
      : request.body.tools?.some((tool) => tool.name === 'delegate')
        ? 'crew/1'
        : isPlanner(request)
          ? 'plan'
          : firstMessage(request).includes('Code it')
            ? 'crew/1.1'
            : firstMessage(request).includes('Test it')
              ? 'crew/1.2'
              : null;
  for (const agent of ['plan', 'crew/1', 'crew/1.1', 'crew/1.2']) {
    const expected = fake.requests
      .filter((request) => agentOf(request) === agent)
      .reduce((sum, request) => sum + costOf(request.body.model, USAGE), 0);
    const shown = spend.locator(`li[data-agent="${agent}"] [data-testid="agent-cost-final"]`);
    // Polled: the charts follow a live run a few times a second.
    await expect.poll(async () => Number(await shown.getAttribute('data-usd'))).toBeCloseTo(expected, 12);
  }
  expect(fake.requests.filter((request) => agentOf(request) === 'crew/1')).toHaveLength(2);
  await page.screenshot({ path: test.info().outputPath('war-room-costs.png'), fullPage: true });
});

test('a sandboxed step’s console in its transcript, and a fork from the canvas with no model call upstream', async ({
  page,
  fake,
  fakeModelHost,
  projectDir,
}) => {
  const program = [
    'import sys, time',
    'print("line 1", flush=True)',
    'print("careful", file=sys.stderr, flush=True)',
    'time.sleep(1.5)',
    'print("line 2", flush=True)',
  ].join('\n');
  const file = workflowFile(
    'War room console',
    [
      node('task', 'input', 0, { name: 'task' }),
      node('plan', 'agent', 240, { prompt: 'PLAN-STEP {{in}}' }),
      node('script', 'code', 480, { language: 'python', code: program }),
      node('summarize', 'agent', 720, { prompt: 'SUMMARIZE {{in}}' }),
      node('result', 'output', 960, { name: 'result' }),
    ],
    [
      ['task', 'value', 'plan', 'in'],
      ['plan', 'out', 'script', 'in'],
      ['script', 'out', 'summarize', 'in'],
      ['summarize', 'out', 'result', 'value'],
    ],
  );
  await openImportedWorkflow(page, fakeModelHost, file, 'War room console');
  await startRun(page, projectDir, { task: 'check the console' });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
  const callsBeforeFork = fake.requests.length;
  expect(fake.requests.filter(isPlanner)).toHaveLength(1);

  // Fork from the canvas: the node after the sandboxed step, with an edited input.
  await page.getByTestId('node-summarize').click();
  await page.getByRole('button', { name: 'Fork from summarize…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fork run' });
  await dialog.getByLabel('Input of summarize (JSON)').fill('"an edited input"');
  await dialog.getByRole('button', { name: 'Fork and run' }).click();

  const room = page.getByRole('region', { name: 'War room' });
  await expect(room.getByText('fork', { exact: true })).toBeVisible();
  await expect(room.getByTestId('run-detail-status')).toHaveText('completed');
  const forkCalls = fake.requests.slice(callsBeforeFork);
  // Zero model calls upstream of the fork: neither the planner nor anything before the edited node.
  expect(forkCalls.filter(isPlanner)).toEqual([]);
  const summaries = forkCalls.filter((request) => firstMessage(request).includes('SUMMARIZE'));
  expect(summaries).toHaveLength(1);
  expect(firstMessage(summaries[0] as FakeRequest)).toContain('an edited input');

  // The original run: the sandboxed step's console, as it streamed, in its transcript.
  await page.getByRole('link', { name: 'War room console' }).last().click();
  await expect(room.getByTestId('run-detail-status')).toHaveText('completed');
  await selectLane(room, 'script');
  const sandboxConsole = room.getByTestId('sandbox-console');
  await expect(sandboxConsole).toContainText('python · exit 0');
  await expect(sandboxConsole.getByTestId('console-output')).toContainText('line 1');
  await expect(sandboxConsole.getByTestId('console-output')).toContainText('careful');
  await expect(sandboxConsole.getByTestId('console-output')).toContainText('line 2');
  await expect(laneOf(room, 'script').locator('[data-kind="sandbox"]')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('war-room-console.png'), fullPage: true });
});
