import { expect, test } from './fixtures/test';

test('redaction to the model is on by default and can be turned off on the Settings page', async ({ page, host }) => {
  await page.goto(`${host.url}#/settings`);
  await expect(page.getByTestId('connection-status')).toContainText('Connected');
  const toggle = page.getByLabel(/Redact secrets in file contents and tool results/);
  await expect(toggle).toBeChecked();
  await expect(page.getByText(/this switch only decides what the model sees/)).toBeVisible();
  await toggle.uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('connection-status')).toContainText('Connected');
  await expect(page.getByLabel(/Redact secrets in file contents and tool results/)).not.toBeChecked();
});
