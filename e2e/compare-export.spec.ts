import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startRun, useTemplate } from './fixtures/canvas';
import { expect, test } from './fixtures/test';

/**
 * One workflow run twice with different inputs against the fake Messages API, compared on the Runs page
 * (where they diverge, and the diffs), then one run exported as HTML and opened from disk in Chromium
 * with script on and every network request refused.
 */
test.beforeEach(({ fake }) => {
  // Each agent's answer names the task it was given, so the two runs' outputs and transcripts differ.
  fake.setScript((request) => {
    const prompt = JSON.stringify(request.body.messages);
    const feature = prompt.includes('health endpoint') ? 'health endpoint' : 'login page';
    return { text: `PASS: the ${feature} works.` };
  });
});

test('compare two runs: the divergence point and diffs; the HTML export opens offline from disk', async ({
  page,
  context,
  fakeModelHost: host,
  projectDir,
}) => {
  await useTemplate(page, host, 'plan-implement-test');
  for (const task of ['add a health endpoint', 'add a login page']) {
    await startRun(page, projectDir, { task });
    await expect(page.getByTestId('run-status')).toHaveText('completed');
  }

  // Newest first: pick the older run first, so it is run a.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
  const picks = page.getByRole('checkbox', { name: /^Pick run .* for comparison$/ });
  await expect(picks).toHaveCount(2);
  const compare = page.getByRole('button', { name: /^Compare \(/ });
  await expect(compare).toBeDisabled();
  await picks.nth(1).check();
  await picks.nth(0).check();
  await compare.click();

  const divergence = page.getByTestId('divergence');
  await expect(divergence).toContainText('First divergence');
  await expect(page.getByTestId('divergence-node')).toHaveText('plan');
  await expect(page.getByTestId('divergence-request-a')).toContainText('add a health endpoint');
  await expect(page.getByTestId('divergence-request-b')).toContainText('add a login page');
  await expect(page.getByTestId('compare-node-plan')).toContainText('completed / completed');
  const planTranscript = page.getByTestId('transcript-diff-plan');
  await expect(planTranscript.locator('.diff-removed')).toContainText('PASS: the health endpoint works.');
  await expect(planTranscript.locator('.diff-added')).toContainText('PASS: the login page works.');
  await page.screenshot({ path: test.info().outputPath('compare.png'), fullPage: true });
  // The comparison is a place: reloading shows it again.
  await page.reload();
  await expect(page.getByTestId('divergence-node')).toHaveText('plan');

  // Export run b as HTML; open the downloaded file with script on and the network shut.
  const downloading = page.waitForEvent('download');
  await page.getByRole('region', { name: 'Run b' }).getByRole('button', { name: 'Export HTML' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^plan-implement-test-.*\.html$/);
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);

  // The run view's controls export too: the JSON document of the run shown.
  await page.getByRole('button', { name: 'Back to runs' }).click();
  await page.getByRole('link', { name: 'Plan → implement → test' }).first().click();
  const downloadingJson = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const jsonFile = test.info().outputPath('run.json');
  await (await downloadingJson).saveAs(jsonFile);
  const document = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { format: string; run: { inputs: unknown } };
  expect(document.format).toBe('warroom.run-export');
  expect(document.run.inputs).toEqual({ task: 'add a login page' });

  const requests: string[] = [];
  await context.route(/^https?:/, (route) => route.abort());
  await context.setOffline(true);
  const report = await context.newPage();
  report.on('request', (request) => requests.push(request.url()));
  await report.goto(pathToFileURL(file).href);
  await expect(report.locator('html')).toHaveAttribute('data-script', 'on');
  await expect(report.locator('h1')).toHaveText('Plan → implement → test');
  await expect(report.locator('#run-status')).toHaveText('completed');
  for (const node of ['plan', 'implement', 'test']) {
    await expect(report.locator(`#nodes tr[data-node="${node}"]`)).toContainText('completed');
  }
  await expect(report.locator('details.transcript[data-node="plan"] .transcript-text')).toHaveText(
    'PASS: the login page works.',
  );
  await expect(report.locator('svg.timeline rect.span-model').first()).toBeAttached();
  // The report's own script works under its policy: filtering the event log.
  await report.getByText(/^All \d+ events$/).click();
  await report.getByLabel('Filter events').fill('run.completed');
  await expect(report.locator('#event-count')).toHaveText(/^1 of \d+ events$/);
  await report.screenshot({ path: test.info().outputPath('report.png'), fullPage: true });
  expect(requests).toEqual([pathToFileURL(file).href]);
});
