import type { Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { connect, dropNode, openNewWorkflow, startRun } from './fixtures/canvas';
import type { RunningHost } from './fixtures/host';
import { expect, test } from './fixtures/test';

/**
 * Debugging on the canvas against the real host and engine (the Anthropic API replaced by the local
 * fake): breakpoints set in the Builder pause the run, the pending input or tool call is edited, the
 * run continues with the edit.
 */
// Each test builds a workflow by dragging on the canvas: on a loaded machine that alone takes tens of seconds.
test.describe.configure({ timeout: 120_000 });

test.beforeEach(({ fake }) => {
  fake.setScript(() => ({ text: 'the plan' }));
});

const inspector = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });

/** input → agent → output, the agent prompted with its input. */
async function buildAgentWorkflow(page: Page, host: RunningHost, name: string) {
  await openNewWorkflow(page, host, name);
  await dropNode(page, 'input', { x: 100, y: 80 });
  await dropNode(page, 'agent', { x: 100, y: 260 });
  await dropNode(page, 'output', { x: 400, y: 260 });
  await connect(page, ['input-1', 'value'], ['agent-1', 'in']);
  await connect(page, ['agent-1', 'out'], ['output-1', 'value']);
  await page.getByTestId('node-agent-1').click();
  await inspector(page).getByRole('textbox', { name: 'Prompt *' }).fill('Plan the work for {{in}}');
  await expect(page.getByTestId('no-problems')).toBeVisible();
}

test('a breakpoint on a node: paused with its pending input, edited, continued to the end', async ({
  page,
  fake,
  fakeModelHost,
  projectDir,
}) => {
  await buildAgentWorkflow(page, fakeModelHost, 'Debug a plan');
  await page.getByTestId('node-agent-1').click({ button: 'right' });
  await page.getByRole('menuitemcheckbox', { name: /Add breakpoint/ }).click();
  await expect(page.getByTestId('breakpoint-agent-1')).toBeVisible();

  await startRun(page, projectDir, { input_1: 'a login page' });
  const bar = page.getByTestId('debugger-bar');
  await expect(bar.getByTestId('debugger-where')).toHaveText('Paused before agent-1 runs');
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await expect(page.getByTestId('node-agent-1')).toHaveClass(/at-breakpoint/);
  const pending = bar.getByTestId('debugger-pending');
  expect(JSON.parse(await pending.inputValue())).toEqual({ in: 'a login page' });
  expect(fake.requests).toHaveLength(0);
  await page.screenshot({ path: test.info().outputPath('debugger-paused.png') });

  await pending.fill('{ "in": "a signup page" }');
  await bar.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('completed');
  await expect(page.getByTestId('debugger-bar')).toHaveCount(0);
  expect(JSON.stringify(fake.requests[0]?.body.messages[0]?.content)).toContain('Plan the work for a signup page');
  await expect(page.getByTestId('run-outputs')).toContainText('the plan');

  // The breakpoint was saved with the workflow: it is there after a reload.
  await page.reload();
  await expect(page.getByTestId('node-agent-1')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('breakpoint-agent-1')).toBeVisible();
});

test('pause before each tool call: the call is shown, its arguments edited, the edit is what runs', async ({
  page,
  fake,
  fakeModelHost,
  projectDir,
}) => {
  fake.setScript((_request, index) =>
    index === 0
      ? { toolUses: [{ id: 'call_1', name: 'write_file', input: { path: 'note.txt', content: 'draft' } }] }
      : { text: 'written' },
  );
  await buildAgentWorkflow(page, fakeModelHost, 'Debug a tool call');
  await inspector(page).getByRole('group', { name: 'Tools' }).getByLabel('write_file').check();
  await inspector(page).getByLabel('Pause before each tool call').check();
  await expect(page.getByTestId('breakpoint-agent-1')).toBeVisible();

  await startRun(page, projectDir, { input_1: 'a note' });
  const bar = page.getByTestId('debugger-bar');
  await expect(bar.getByTestId('debugger-where')).toHaveText('Paused before agent-1 calls write_file');
  const pending = bar.getByTestId('debugger-pending');
  expect(JSON.parse(await pending.inputValue())).toEqual({ path: 'note.txt', content: 'draft' });
  expect(fs.existsSync(path.join(projectDir, 'note.txt'))).toBe(false);

  await pending.fill(JSON.stringify({ path: 'note.txt', content: 'final' }));
  await bar.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('completed');
  expect(fs.readFileSync(path.join(projectDir, 'note.txt'), 'utf8')).toBe('final');
});

test('stop a run while it is paused at a breakpoint', async ({ page, fake, fakeModelHost, projectDir }) => {
  await buildAgentWorkflow(page, fakeModelHost, 'Debug and stop');
  await page.getByTestId('node-agent-1').click();
  await page.keyboard.press('F9');
  await expect(page.getByTestId('breakpoint-agent-1')).toBeVisible();
  await startRun(page, projectDir, { input_1: 'anything' });
  const bar = page.getByTestId('debugger-bar');
  await expect(bar).toBeVisible();
  await bar.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  expect(fake.requests).toHaveLength(0);
});
