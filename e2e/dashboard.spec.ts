import { chainWorkflow } from '../src-main/engine/testing/workflow-builder';
import { formatPercent, formatUsd } from '../src-renderer/features/dashboard/time-range';
import { makeCliProfile } from './fixtures/cli';
import { FAKE_API_KEY } from './fixtures/fake-model';
import { makeThrowawayHome } from './fixtures/host';
import { expect, test } from './fixtures/test';

/**
 * The Dashboard end to end: `warroom run` spends on the local fake of the Messages API (a million input
 * tokens of Sonnet, $3, per answered request; the first request is rate limited and retried), then the
 * Dashboard of `warroom serve` on that profile shows the totals, the charts and the Sentinel's checks. A
 * second host, its Docker endpoint a dead socket, shows the health alert banner on every page.
 */
const USD_PER_ANSWER = 3;

test.beforeEach(({ fake }) => {
  fake.setScript((_request, index) =>
    index === 0
      ? { status: 429, retryAfterSeconds: 0.01, message: 'slow down' }
      : { text: 'Done.', inputTokens: 1_000_000, outputTokens: 0 },
  );
});

test('the Dashboard shows what runs spent, in figures and charts, and the health checks', async ({
  page,
  fake,
  launchHost,
}) => {
  const { home, env, runWorkflow } = makeCliProfile(fake, {
    ...chainWorkflow([['writer', 'agent', { prompt: 'Summarize {{in}}' }]]),
    name: 'Summarizer',
  });
  for (const task of ['the cart', 'the checkout']) {
    const run = await runWorkflow('--input', `task=${task}`);
    expect(run.code, run.output).toBe(0);
  }
  // Every answered Messages request cost the same (the agents' and memory synthesis after each run).
  const answered = fake.requests.length - 1;
  expect(answered).toBeGreaterThanOrEqual(2);

  const host = await launchHost(home, env);
  await page.goto(`${host.url}#/dashboard`);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity.getByTestId('stat-total-spend')).toHaveText(formatUsd(answered * USD_PER_ANSWER));
  await expect(activity.getByTestId('stat-runs')).toHaveText('2');
  await expect(activity.getByTestId('stat-error-rate')).toHaveText(formatPercent(1 / (answered + 1)));
  await expect(activity.getByText(`1 retry of ${answered + 1} requests`)).toBeVisible();

  // The charts are drawn: bars for the spend, the workflow by name, the retried 429 in its series.
  await expect(activity.getByTestId('chart-spend').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(activity.getByTestId('chart-spend-by-workflow')).toContainText('Summarizer');
  await expect(activity.getByTestId('chart-runs-by-status').locator('.recharts-surface').first()).toBeVisible();
  await expect(activity.getByTestId('chart-tokens-by-model')).toContainText('claude-sonnet-4-6');
  await expect(activity.getByTestId('chart-model-errors')).toContainText('429 rate limited');

  // The time range filter: nothing happened more than a day ago, so the totals stay the same.
  await activity.getByLabel('Time range').selectOption('24h');
  await expect(activity.getByTestId('stat-total-spend')).toHaveText(formatUsd(answered * USD_PER_ANSWER));
  await expect(activity.getByTestId('stat-runs')).toHaveText('2');

  const health = page.getByRole('region', { name: 'Health' });
  await expect(health.getByTestId('health-check-docker-engine')).toHaveAttribute('data-status', 'ok');
  await expect(health.getByTestId('health-check-database')).toHaveAttribute('data-status', 'ok');
  await health.getByRole('button', { name: 'Check now' }).click();
  await expect(health.getByTestId('health-check-model-endpoint')).toHaveAttribute('data-status', 'ok');
  await expect(health.getByTestId('health-check-model-endpoint')).toContainText(`GET ${fake.url}/v1/models`);
  await expect(page.getByTestId('health-banner')).toHaveCount(0);
  expect(await page.content()).not.toContain(FAKE_API_KEY);
  // The page scrolls inside its main area: back to the top for the picture of the charts.
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/dashboard.png' });

  // A threshold crossed raises an alert: the banner says so once the checks run again.
  await health.getByText('Alert thresholds').click();
  await health.getByLabel('Daily spend alert (USD)').fill('1');
  await health.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(health.getByText('Thresholds saved.')).toBeVisible();
  await health.getByRole('button', { name: 'Check now' }).click();
  await expect(health.getByTestId('health-check-daily-spend')).toHaveAttribute('data-status', 'warn');
  await expect(page.getByTestId('health-banner').getByTestId('alert-daily-spend')).toContainText(
    'over the $1.00 threshold',
  );
});

test('a host whose Docker engine is gone shows the health alert banner on every page', async ({ page, launchHost }) => {
  const host = await launchHost(makeThrowawayHome(), { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  await page.goto(host.url);
  const banner = page.getByTestId('health-banner');
  await expect(banner.getByTestId('alert-docker-engine')).toContainText('Docker engine');
  await expect(banner.getByTestId('alert-docker-engine')).toContainText('not reachable');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
  await expect(banner).toBeVisible();

  await banner.getByRole('link', { name: 'Details' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  const docker = page.getByRole('region', { name: 'Health' }).getByTestId('health-check-docker-engine');
  await expect(docker).toHaveAttribute('data-status', 'fail');
  await expect(docker).toContainText('unix:///nonexistent/docker.sock');
  await page.screenshot({ path: 'test-results/dashboard-health-alert.png' });
});
