import fs from 'node:fs';
import path from 'node:path';
import { chainWorkflow } from '../src-main/engine/testing/workflow-builder';
import { makeCliProfile } from './fixtures/cli';
import { expect, test } from './fixtures/test';

/**
 * The audit log end to end: `warroom run` executes a workflow whose agent writes a file (its model the
 * local fake of the Messages API), then the Audit page of `warroom serve` on the same profile shows the
 * entry, filters it and verifies the chain.
 */

test('an agent writes a file; the Audit page shows the entry, filters it and verifies the chain', async ({
  page,
  fake,
  launchHost,
}) => {
  fake.setScript((_request, index) =>
    index === 0
      ? { toolUses: [{ name: 'write_file', input: { path: 'notes/audited.md', content: 'written by the agent' } }] }
      : { text: 'Wrote the notes.' },
  );
  const { home, projectDir, env, runWorkflow } = makeCliProfile(
    fake,
    chainWorkflow([['writer', 'agent', { prompt: 'Write notes on {{in}}', tools: ['write_file'] }]]),
  );
  const run = await runWorkflow('--input', 'task=the audit');
  expect(run.code, run.output).toBe(0);
  expect(fs.readFileSync(path.join(projectDir, 'notes/audited.md'), 'utf8')).toBe('written by the agent');

  const host = await launchHost(home, env);
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();

  const rows = page.getByTestId('audit-row');
  const written = rows.filter({ hasText: 'file.write' });
  await expect(written).toHaveCount(1);
  await expect(written).toContainText(path.join('notes', 'audited.md'));
  await expect(written).toContainText('20 bytes');
  await expect(written).toContainText('agent');
  await expect(written).toContainText('writer');

  const filters = page.getByRole('form', { name: 'Audit filters' });
  await filters.getByLabel('Kind').selectOption('mcp.call');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No audit entries match')).toBeVisible();
  await filters.getByLabel('Kind').selectOption('file.write');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('audited.md');

  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('audit-verify-result')).toContainText(/^Intact: \d+ entr(y|ies), last hash/);
  await page.screenshot({ path: test.info().outputPath('audit-page.png') });
});
