import { openNewWorkflow } from './fixtures/canvas';
import { expect, test } from './fixtures/test';

test('the app loads, connects, and every page renders', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('connection-status')).toContainText('Connected');
  // The launch token leaves the address bar once the page has its cookie.
  await expect.poll(() => page.url()).not.toContain('token=');

  for (const [link, heading] of [
    ['Builder', 'Builder'],
    ['Runs', 'Runs'],
    ['Memory', 'Memory'],
    ['Dashboard', 'Dashboard'],
    ['Settings', 'Settings'],
  ] as const) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(page.getByRole('link', { name: link })).toHaveAttribute('aria-current', 'page');
  }
  await expect(page.getByText('Schema version')).toHaveCount(0);
  await page.keyboard.press('Control+4');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText(/Schema version \d+/)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('dashboard.png') });
});

test('a setting saved in the UI survives a host restart', async ({ page, host, launchHost }) => {
  await page.goto(`${host.url}#/settings`);
  const concurrency = page.getByLabel('Parallel branches (max)');
  await expect(concurrency).toHaveValue('4');

  await concurrency.fill('40');
  await expect(page.getByText('at most 32')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();

  await concurrency.fill('7');
  const sandboxMemory = page.getByLabel('Memory (MB)');
  await sandboxMemory.fill('10');
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await sandboxMemory.fill('1024');
  await page.getByLabel('Claude model').fill('claude-opus-4-1');
  await page.getByLabel(/Summarize finished runs/).uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('settings.png') });

  await host.stop();
  const restarted = await launchHost(host.home);
  await page.goto(`${restarted.url}#/settings`);
  await expect(page.getByTestId('connection-status')).toContainText('Connected');
  await expect(page.getByLabel('Parallel branches (max)')).toHaveValue('7');
  await expect(page.getByLabel('Claude model')).toHaveValue('claude-opus-4-1');
  await expect(page.getByLabel('Memory (MB)')).toHaveValue('1024');
  await expect(page.getByLabel(/Summarize finished runs/)).not.toBeChecked();
});

test('an API key is saved without ever being shown again', async ({ page, host }) => {
  await page.goto(`${host.url}#/settings`);
  const keyInput = page.getByLabel('Anthropic API key');
  await keyInput.fill('sk-ant-e2e-secret');
  await page.getByRole('button', { name: 'Save key' }).first().click();
  await expect(page.getByTestId('secret-anthropicApiKey')).toHaveText('saved');
  await expect(keyInput).toHaveValue('');
  await page.reload();
  await expect(page.getByTestId('secret-anthropicApiKey')).toHaveText('saved');
  expect(await page.content()).not.toContain('sk-ant-e2e-secret');
});

test('workflows can be created, exported, re-imported and deleted', async ({ page, host }) => {
  await openNewWorkflow(page, host, 'Research fan-out');
  // A new workflow opens in the editor; back to the library.
  await page.getByRole('button', { name: '← Workflows' }).click();
  await expect(page.getByRole('cell', { name: 'Research fan-out' })).toBeVisible();

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('research-fan-out.warroom.json');
  const exportedPath = test.info().outputPath('exported.json');
  await download.saveAs(exportedPath);

  await page.getByTestId('import-file').setInputFiles(exportedPath);
  await expect(page.getByText(/Imported “Research fan-out”.*saved as a copy/)).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Research fan-out' })).toHaveCount(2);

  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"schemaVersion": 1, "id": "x", "name": "", "nodes": [], "edges": []}'),
  });
  await expect(page.getByRole('alert')).toContainText('name: a workflow needs a name');
  await expect(page.getByRole('cell', { name: 'Research fan-out' })).toHaveCount(2);

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete' }).first().click();
  await expect(page.getByRole('cell', { name: 'Research fan-out' })).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('builder.png') });
});

test('a wrong or missing token gets no page and no API', async ({ browser, host }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const refused = await page.goto(`${host.origin}/?token=not-the-token`);
  expect(refused?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('War Room refused this request');
  expect(await page.content()).not.toContain('id="root"');

  const missing = await page.goto(`${host.origin}/`);
  expect(missing?.status()).toBe(401);

  // From the served origin itself, but with no valid token or cookie, the API socket never opens.
  const outcome = await page.evaluate(
    (wsUrl) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(wsUrl);
        socket.onopen = () => resolve('open');
        socket.onerror = () => resolve('refused');
      }),
    `${host.origin.replace('http', 'ws')}/api?token=not-the-token`,
  );
  expect(outcome).toBe('refused');
  await context.close();
});
