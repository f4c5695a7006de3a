import fs from 'node:fs';
import { chainWorkflow } from '../src-main/engine/testing/workflow-builder';
import { makeCliProfile, runIdOf } from './fixtures/cli';
import { expect, test } from './fixtures/test';
import { selectLane } from './fixtures/war-room';

/**
 * A code node's /out files in the war room: a run made by the CLI (a python program writing a PNG, an SVG
 * and a CSV) opened in a host started afterwards; the images are drawn inline, the CSV is saved.
 */
// A real 2×1 PNG, so the browser has something to decode.
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR42mP8z8DwnwEIGGEMADn/BP/zc0RwAAAAAElFTkSuQmCC';
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="teal"/></svg>';
const CSV = 'n,square\n1,1\n2,4\n3,9\n';

const program = [
  'import base64, json',
  `open("/out/dot.png", "wb").write(base64.b64decode("${PNG_BASE64}"))`,
  `open("/out/chart.svg", "w").write(${JSON.stringify(SVG)})`,
  `open("/out/squares.csv", "w").write(${JSON.stringify(CSV)})`,
  'print(json.dumps({"files": 3}))',
].join('\n');

test('images a code node wrote to /out show inline in the war room, and Save downloads the CSV', async ({
  page,
  fake,
  launchHost,
}) => {
  fake.setScript(() => ({ text: '[]' }));
  const { home, projectDir, env, runWorkflow } = makeCliProfile(
    fake,
    chainWorkflow([['plot', 'code', { language: 'python', code: program }]]),
  );
  fs.chmodSync(projectDir, 0o755);
  const run = await runWorkflow('--input', 'task=x', '--json');
  expect(run.code, run.output).toBe(0);
  const runId = runIdOf(run.output);

  const host = await launchHost(home, env);
  await page.goto(`${host.url}#/runs/${runId}`);
  const room = page.getByRole('region', { name: 'War room' });
  await expect(room.getByTestId('run-detail-status')).toHaveText('completed');
  await selectLane(room, 'plot');
  const artifacts = room.getByTestId('sandbox-console').getByTestId('artifact');
  await expect(artifacts).toHaveCount(3);

  for (const [name, width] of [
    ['dot.png', 2],
    ['chart.svg', 40],
  ] as const) {
    const image = artifacts.filter({ hasText: name }).getByTestId('artifact-image');
    await expect(image).toBeVisible();
    await expect
      .poll(() => image.evaluate((element) => (element as { naturalWidth?: number }).naturalWidth ?? 0))
      .toBe(width);
    // An image from a data: URL, never the file's markup in the page.
    expect(await image.getAttribute('src')).toMatch(/^data:image\/(png|svg\+xml);base64,/);
  }
  await expect(room.locator('svg rect[fill="teal"]')).toHaveCount(0);
  await expect(artifacts.filter({ hasText: 'squares.csv' }).getByTestId('artifact-image')).toHaveCount(0);

  const download = page.waitForEvent('download');
  await artifacts.filter({ hasText: 'squares.csv' }).getByRole('button', { name: 'Save' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('squares.csv');
  expect(fs.readFileSync((await saved.path()) ?? '', 'utf8')).toBe(CSV);
  await page.screenshot({ path: test.info().outputPath('war-room-artifacts.png'), fullPage: true });
});
