import fs from 'node:fs';
import path from 'node:path';
import { makeThrowawayHome } from './fixtures/host';
import { expect, test } from './fixtures/test';

function makeProject(): string {
  const root = path.join(makeThrowawayHome(), 'shop');
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, '.gitignore'), 'secrets.txt\n');
  fs.writeFileSync(path.join(root, 'secrets.txt'), 'the launch code is swordfish\n');
  fs.writeFileSync(
    path.join(root, 'src', 'cart.ts'),
    'export function cartTotal(prices: number[]): number {\n  return prices.reduce((sum, price) => sum + price, 0);\n}\n',
  );
  fs.writeFileSync(path.join(root, 'README.md'), '# Shop\n\nThe checkout flow applies coupons before tax.\n');
  fs.writeFileSync(path.join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]));
  return root;
}

test('ingest a project, search it, then pin, edit, export, delete and re-import', async ({ page, host }) => {
  const project = makeProject();
  await page.goto(`${host.url}#/memory`);
  await expect(page.getByRole('heading', { level: 1, name: 'Memory' })).toBeVisible();
  await expect(page.getByText('No memories yet')).toBeVisible();

  await page.getByLabel('Project folder to ingest').fill(project);
  await page.getByRole('button', { name: 'Ingest' }).click();
  const report = page.getByTestId('ingest-report');
  await expect(report).toContainText('3 files indexed');
  await expect(report).toContainText('into “shop”');
  await expect(report).toContainText('logo.png (binary)');
  // README.md, src/cart.ts and .gitignore itself; secrets.txt is ignored, logo.png is binary.
  await expect(page.getByTestId('memory-total')).toHaveText('3');

  // The ignored file was never read.
  await page.getByLabel('Search memory').fill('swordfish');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('Nothing matched')).toBeVisible();

  await page.getByLabel('Search memory').fill('coupons before tax');
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByTestId('memory-row')).toHaveCount(1);
  await expect(results).toContainText('README.md:1-3');
  await expect(results).toContainText('Why: full-text rank 1');
  await expect(results.getByTestId('memory-file-group')).toContainText('README.md');
  await expect(results.locator('.memory-line-match')).toContainText('The checkout flow applies coupons before tax.');
  await expect(results.locator('mark')).toHaveText(['coupons', 'before', 'tax']);

  await results.getByRole('button', { name: 'Pin' }).click();
  await expect(results.getByText('pinned', { exact: true })).toBeVisible();
  await results.getByRole('button', { name: 'Edit' }).click();
  await results.locator('textarea').fill('# Shop\n\nCoupons apply before tax; gift cards after.');
  await results.getByRole('button', { name: 'Save text' }).click();
  await expect(results).toContainText('gift cards after');

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSONL' }).click();
  const exported = test.info().outputPath('memory.jsonl');
  await (await downloadPromise).saveAs(exported);
  expect(fs.readFileSync(exported, 'utf8').trim().split('\n')).toHaveLength(3);

  page.once('dialog', (dialog) => void dialog.accept());
  await results.getByRole('button', { name: 'Delete' }).click();
  await expect(results.getByTestId('memory-row')).toHaveCount(0);
  await expect(page.getByTestId('memory-total')).toHaveText('2');

  await page.getByTestId('memory-import-file').setInputFiles(exported);
  await expect(page.getByText(/Imported 3 memories/)).toBeVisible();
  await expect(page.getByTestId('memory-total')).toHaveText('3');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(results).toContainText('gift cards after');
  await expect(results.getByText('pinned', { exact: true })).toBeVisible();
});

test('a long file is one result: its best part highlighted, the other matching parts listed', async ({
  page,
  host,
}) => {
  const root = path.join(makeThrowawayHome(), 'guide');
  fs.mkdirSync(root, { recursive: true });
  const filler = (from: number, count: number) =>
    Array.from({ length: count }, (_, index) => `Paragraph ${from + index} describes something unrelated.`);
  const lines = [
    '# Operations guide',
    '',
    ...filler(1, 40),
    '',
    '## Retries',
    '',
    'A failed upload retries three times with exponential backoff.',
    ...filler(41, 40),
    '',
    '## Timeouts',
    '',
    'Each upload retry waits for the timeout again.',
    ...filler(81, 40),
  ];
  fs.writeFileSync(path.join(root, 'operations.md'), `${lines.join('\n')}\n`);
  await page.goto(`${host.url}#/memory`);
  await page.getByLabel('Project folder to ingest').fill(root);
  await page.getByRole('button', { name: 'Ingest' }).click();
  await expect(page.getByTestId('ingest-report')).toContainText('1 files indexed');

  await page.getByLabel('Search memory').fill('upload retries backoff');
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByTestId('memory-file-group')).toHaveCount(1);
  await expect(results.getByTestId('memory-row')).toHaveCount(1);
  await expect(results.getByTestId('memory-file-group')).toContainText('operations.md');
  const bestLine = results.locator('.memory-line-match', { hasText: 'exponential backoff' });
  await expect(bestLine).toHaveCount(1);
  await expect(bestLine.locator('mark')).toHaveText(['upload', 'retries', 'backoff']);
  await expect(results).toContainText(/Also matches lines \d+–\d+/);
});

test('a bad import line is refused with its line number and nothing is written', async ({ page, host }) => {
  await page.goto(`${host.url}#/memory`);
  await page.getByTestId('memory-import-file').setInputFiles({
    name: 'broken.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from('{"not": "a memory"}\n'),
  });
  await expect(page.getByRole('alert')).toContainText('line 1');
  await expect(page.getByText('No memories yet')).toBeVisible();
});
