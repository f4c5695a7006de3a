import type { Page } from '@playwright/test';
import { connect, dropNode, openNewWorkflow, startRun, useTemplate } from './fixtures/canvas';
import type { RunningHost } from './fixtures/host';
import { expect, test } from './fixtures/test';

/**
 * Runs from the canvas against the real host and engine, with the Anthropic API replaced by the local
 * fake that speaks its streaming protocol (the real SDK talks to it through ANTHROPIC_BASE_URL).
 */
test.beforeEach(({ fake }) => {
  fake.setScript(() => ({ text: 'Plan: write the tests first.', chunkDelayMs: 30 }));
});

async function buildPlanApproveWorkflow(page: Page, host: RunningHost) {
  await openNewWorkflow(page, host, 'Plan with sign-off');
  await dropNode(page, 'input', { x: 100, y: 80 });
  await dropNode(page, 'agent', { x: 100, y: 260 });
  await dropNode(page, 'approval', { x: 400, y: 80 });
  await dropNode(page, 'output', { x: 400, y: 260 });
  await connect(page, ['input-1', 'value'], ['agent-1', 'in']);
  await connect(page, ['agent-1', 'out'], ['approval-1', 'in']);
  await connect(page, ['approval-1', 'approved'], ['output-1', 'value']);
  await page.getByTestId('node-agent-1').click();
  await page
    .getByRole('complementary', { name: 'Inspector' })
    .getByRole('textbox', { name: 'Prompt *' })
    .fill('Plan the work for {{in}}');
  await expect(page.getByTestId('no-problems')).toBeVisible();
}

test('run from the canvas: live node states, streamed agent output, approval, final output', async ({
  page,
  fake,
  fakeModelHost,
  projectDir,
}) => {
  await buildPlanApproveWorkflow(page, fakeModelHost);
  await startRun(page, projectDir, { input_1: 'a login page' });

  await expect(page.getByTestId('node-input-1')).toHaveAttribute('data-run-status', 'completed');
  await expect(page.getByTestId('node-approval-1')).toHaveAttribute('data-run-status', 'waiting');
  await expect(page.getByTestId('node-agent-1')).toHaveAttribute('data-run-status', 'completed');
  await expect(page.getByTestId('node-output-1')).toHaveAttribute('data-run-status', 'queued');
  await expect(page.getByTestId('run-status')).toHaveText('waiting');

  // The agent's streamed text, and the prompt the model received.
  await page.getByTestId('node-agent-1').click();
  await expect(page.getByTestId('transcript')).toContainText('Plan: write the tests first.');
  expect(JSON.stringify(fake.requests[0]?.body.messages)).toContain('Plan the work for a login page');
  await page.screenshot({ path: test.info().outputPath('builder-mid-run.png') });

  await page.getByTestId('node-approval-1').click();
  await expect(page.getByTestId('approval')).toBeVisible();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();

  await expect(page.getByTestId('run-status')).toHaveText('completed');
  await expect(page.getByTestId('node-output-1')).toHaveAttribute('data-run-status', 'completed');
  await expect(page.getByTestId('run-outputs')).toContainText('Plan: write the tests first.');
});

test('cancel a run from the canvas', async ({ page, fake, fakeModelHost, projectDir }) => {
  fake.setScript(() => ({ text: 'This will take a while.', delayMs: 20_000 }));
  await buildPlanApproveWorkflow(page, fakeModelHost);
  await startRun(page, projectDir);
  await expect(page.getByTestId('node-agent-1')).toHaveAttribute('data-run-status', 'running');
  await expect.poll(() => fake.requests.length).toBe(1);

  const started = Date.now();
  await page.getByRole('button', { name: 'Cancel run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  expect(Date.now() - started).toBeLessThan(5_000);
  await expect(page.getByTestId('node-approval-1')).not.toHaveAttribute('data-run-status', 'waiting');
});

test('start from a template and run it to its outputs', async ({ page, fake, fakeModelHost, projectDir }) => {
  fake.setScript(() => ({ text: 'PASS: every check is green.' }));
  await useTemplate(page, fakeModelHost, 'plan-implement-test');
  await expect(page.getByRole('textbox', { name: 'Workflow name' })).toHaveValue('Plan → implement → test');
  await expect(page.locator('.canvas-node')).toHaveCount(7);

  // The template's agents show their role presets.
  await page.getByTestId('node-plan').click();
  await expect(page.getByRole('complementary', { name: 'Inspector' }).getByLabel('Role')).toHaveValue('planner');

  await startRun(page, projectDir, { task: 'add a health endpoint' });

  await expect(page.getByTestId('run-status')).toHaveText('completed');
  for (const node of ['plan', 'implement', 'test']) {
    await expect(page.getByTestId(`node-${node}`)).toHaveAttribute('data-run-status', 'completed');
  }
  await expect(page.getByTestId('node-passed')).toHaveAttribute('data-run-status', 'completed');
  await expect(page.getByTestId('node-failed')).toHaveAttribute('data-run-status', 'skipped');
  await expect(page.getByTestId('run-outputs')).toContainText('PASS: every check is green.');
  // Three agents, then one call that synthesizes the finished run into project memory.
  await expect.poll(() => fake.requests.length).toBe(4);

  // Run history: the run is listed; its event log is there; a replay makes no model calls.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
  await page.getByRole('link', { name: 'Plan → implement → test' }).first().click();
  await expect(page.getByTestId('run-detail-status')).toHaveText('completed');
  // The run opens in the war room; its raw event log is one of its tabs.
  await page.getByRole('tab', { name: 'Events' }).click();
  await expect(page.getByTestId('event-log')).toContainText('run.completed');
  const original = page.url();
  await page.getByRole('button', { name: 'Replay' }).click();
  await expect.poll(() => page.url()).not.toBe(original);
  await expect(page.locator('.row-selected')).toContainText('· replay');
  await expect(page.getByTestId('run-detail-status')).toHaveText('completed');
  await page.getByRole('tab', { name: 'Events' }).click();
  await expect(page.getByTestId('event-log')).toContainText('run.completed');
  expect(fake.requests.length).toBe(4);
});

test('the run view reconnects after the connection drops, without losing or repeating events', async ({
  page,
  fake,
  fakeModelHost,
  projectDir,
}) => {
  // Keep a handle on every WebSocket the page opens, so the test can cut them.
  await page.addInitScript(() => {
    const scope = globalThis as unknown as { WebSocket: typeof WebSocket; __sockets: WebSocket[] };
    const Native = scope.WebSocket;
    scope.__sockets = [];
    scope.WebSocket = class extends Native {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        scope.__sockets.push(this);
      }
    };
  });
  const words = Array.from({ length: 30 }, (_, index) => `w${index}`);
  fake.setScript(() => ({ text: words.join(' '), chunkDelayMs: 120 }));
  await buildPlanApproveWorkflow(page, fakeModelHost);
  await startRun(page, projectDir);
  await page.getByTestId('node-agent-1').click();
  await expect(page.getByTestId('transcript')).toContainText('w1');

  // Drop every open socket mid-stream, as a network hiccup would; the client reconnects on its own.
  await page.evaluate(() => {
    for (const socket of (globalThis as unknown as { __sockets: Array<{ close(): void }> }).__sockets) socket.close();
  });
  await expect(page.getByTestId('connection-status')).toContainText('Disconnected');
  await expect(page.getByTestId('connection-status')).toContainText('Connected');

  await expect(page.getByTestId('node-approval-1')).toHaveAttribute('data-run-status', 'waiting', { timeout: 20_000 });
  await expect(page.getByTestId('transcript').locator('.transcript-text').first()).toHaveText(words.join(' '));
});
