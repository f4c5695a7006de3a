import { connect, createWorkflow, dragBetween, dropNode, handle, openNewWorkflow } from './fixtures/canvas';
import { expect, test } from './fixtures/test';

test('build a workflow on the canvas: drag, connect, configure, validate, undo/redo, save, reload', async ({
  page,
  host,
}) => {
  await openNewWorkflow(page, host, 'Plan and build');
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toBeVisible();
  await expect(page.getByTestId('no-problems')).toBeVisible();

  // Drag three nodes from the palette.
  await dropNode(page, 'input', { x: 80, y: 120 });
  await dropNode(page, 'agent', { x: 320, y: 120 });
  await dropNode(page, 'output', { x: 560, y: 120 });
  await expect(page.locator('.canvas-node')).toHaveCount(3);
  await expect(page.getByTestId('dirty-indicator')).toHaveText('● Unsaved changes');

  // A fresh agent has no prompt: the problem shows on the node and in the list.
  await expect(page.getByTestId('node-agent-1')).toHaveClass(/has-problems/);
  await expect(page.getByRole('button', { name: /node "agent-1" config\.prompt/ })).toBeVisible();

  // Connect input → agent → output.
  await connect(page, ['input-1', 'value'], ['agent-1', 'in']);
  await connect(page, ['agent-1', 'out'], ['output-1', 'value']);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  // Configure the agent in the inspector; its problem goes away.
  await page.getByTestId('node-agent-1').click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByRole('heading', { name: 'Agent' })).toBeVisible();
  await inspector.getByRole('textbox', { name: 'Prompt *' }).fill('Plan the work for {{in}}');
  await inspector.getByRole('checkbox', { name: 'read_file' }).check();
  await inspector.getByText('Max USD').locator('..').locator('input').fill('0.5');
  await expect(page.getByTestId('node-agent-1')).not.toHaveClass(/has-problems/);
  await expect(page.getByTestId('no-problems')).toBeVisible();

  // Undo brings the problem back, redo removes it again.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  // Three edits: the prompt, the tool, the budget (typing into one field is one step).
  for (let step = 0; step < 3; step++) await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-agent-1')).toHaveClass(/has-problems/);
  for (let step = 0; step < 3; step++) await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('no-problems')).toBeVisible();

  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty-indicator')).toHaveText('Saved');
  await page.screenshot({ path: test.info().outputPath('builder-at-rest.png') });

  await page.reload();
  await expect(page.locator('.canvas-node')).toHaveCount(3);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await page.getByTestId('node-agent-1').click();
  await expect(
    page.getByRole('complementary', { name: 'Inspector' }).getByRole('textbox', { name: 'Prompt *' }),
  ).toHaveText('Plan the work for {{in}}');
  await expect(
    page.getByRole('complementary', { name: 'Inspector' }).getByText('Max USD').locator('..').locator('input'),
  ).toHaveValue('0.5');
});

test('incompatible connections are refused while dragging, with the reason', async ({ page, host }) => {
  await openNewWorkflow(page, host, 'Types');
  await dropNode(page, 'memory-search', { x: 100, y: 100 });
  await dropNode(page, 'memory-search', { x: 420, y: 100 });
  const drag = await dragBetween(
    page,
    handle(page, 'memory-search-1', 'hits'),
    handle(page, 'memory-search-2', 'query'),
  );
  await expect(page.getByTestId('connection-hint')).toHaveText(
    'Cannot connect: list output "hits" cannot feed text input "query"',
  );
  await drag.release();
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
});

test('auto-layout runs ELK in a worker and is one undo step; the cheat sheet lists the shortcuts', async ({
  page,
  host,
}) => {
  await openNewWorkflow(page, host, 'Arrange');
  // The output is dropped left of the input it will depend on: layout must swap them.
  await dropNode(page, 'output', { x: 100, y: 100 });
  await dropNode(page, 'input', { x: 340, y: 300 });
  await connect(page, ['input-1', 'value'], ['output-1', 'value']);
  await expect(page.getByTestId('no-problems')).toBeVisible();
  const x = async (id: string) => (await page.getByTestId(`node-${id}`).boundingBox())?.x ?? NaN;
  expect(await x('output-1')).toBeLessThan(await x('input-1'));

  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect.poll(async () => (await x('input-1')) < (await x('output-1'))).toBe(true);
  const inputBox = await page.getByTestId('node-input-1').boundingBox();
  const outputBox = await page.getByTestId('node-output-1').boundingBox();
  expect((inputBox?.x ?? 0) + (inputBox?.width ?? 0)).toBeLessThan(outputBox?.x ?? 0);

  await page.getByTestId('node-input-1').click();
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await x('output-1')) < (await x('input-1'))).toBe(true);
  await page.keyboard.press('l');
  await expect.poll(async () => (await x('input-1')) < (await x('output-1'))).toBe(true);

  await page.getByRole('button', { name: 'Shortcuts' }).click();
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet.getByRole('row', { name: /Redo/ })).toContainText('Ctrl/Cmd + Shift + Z, Ctrl/Cmd + Y');
  await expect(sheet.getByRole('row', { name: /Auto-layout/ })).toContainText('L');
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
});

test('copy and paste nodes into another workflow; delete; export and re-import', async ({ page, host }) => {
  await openNewWorkflow(page, host, 'Source');
  await dropNode(page, 'input', { x: 80, y: 100 });
  await dropNode(page, 'output', { x: 380, y: 100 });
  await connect(page, ['input-1', 'value'], ['output-1', 'value']);
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty-indicator')).toHaveText('Saved');

  await page.getByRole('button', { name: '← Workflows' }).click();
  await createWorkflow(page, 'Target');
  await expect(page.getByRole('textbox', { name: 'Workflow name' })).toHaveValue('Target');
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+v');
  await expect(page.locator('.canvas-node')).toHaveCount(2);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);

  await page.keyboard.press('Control+d');
  await expect(page.locator('.canvas-node')).toHaveCount(4);
  await page.keyboard.press('Delete');
  await expect(page.locator('.canvas-node')).toHaveCount(2);

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const exported = test.info().outputPath('target.json');
  await (await downloadPromise).saveAs(exported);

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: '← Workflows' }).click();
  await page.getByTestId('import-file').setInputFiles(exported);
  await expect(page.getByText(/Imported “Target”/)).toBeVisible();
  await page.getByRole('link', { name: 'Target' }).first().click();
  await expect(page.locator('.canvas-node')).toHaveCount(2);
});

test('unsaved work is guarded when leaving the editor', async ({ page, host }) => {
  await openNewWorkflow(page, host, 'Guarded');
  await dropNode(page, 'input', { x: 120, y: 100 });
  await expect(page.getByTestId('dirty-indicator')).toHaveText('● Unsaved changes');

  const nav = page.getByRole('navigation', { name: 'Main' });
  page.once('dialog', (dialog) => void dialog.dismiss());
  await nav.getByRole('link', { name: 'Runs' }).click();
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.locator('.canvas-node')).toHaveCount(1);

  page.once('dialog', (dialog) => void dialog.accept());
  await nav.getByRole('link', { name: 'Runs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();

  // The discarded draft is not what opens next time.
  await nav.getByRole('link', { name: 'Builder' }).click();
  await page.getByRole('link', { name: 'Guarded' }).click();
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.locator('.canvas-node')).toHaveCount(0);
});

test('comments and groups on the canvas are saved with the workflow', async ({ page, host }) => {
  await openNewWorkflow(page, host, 'Annotated');
  await dropNode(page, 'group', { x: 120, y: 120 });
  await dropNode(page, 'comment', { x: 420, y: 380 });
  await page.getByTestId('annotation-comment-1').dblclick();
  await page.getByLabel('Comment text').fill('The reviewer sees the plan first.');
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await expect(page.getByTestId('annotation-comment-1')).toContainText('The reviewer sees the plan first.');
  await expect(page.getByTestId('annotation-group-1')).toContainText('Group');
  await expect(page.getByTestId('no-problems')).toBeVisible();

  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('dirty-indicator')).toHaveText('Saved');
  await page.reload();
  await expect(page.getByTestId('annotation-comment-1')).toContainText('The reviewer sees the plan first.');
  await expect(page.getByTestId('annotation-group-1')).toBeVisible();

  // Delete the comment with the keyboard; undo brings it back.
  await page.getByTestId('annotation-comment-1').click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('annotation-comment-1')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('annotation-comment-1')).toBeVisible();
});
