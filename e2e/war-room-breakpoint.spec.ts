import { chainWorkflow } from '../src-main/engine/testing/workflow-builder';
import type { FakeRequest } from '../src-main/llm/testing/fake-anthropic-server';
import { makeCliProfile, runIdOf } from './fixtures/cli';
import { expect, test } from './fixtures/test';

/**
 * A run paused at a breakpoint by `warroom run --break` (no terminal: the CLI leaves it paused and
 * exits), then opened in the war room of a host started afterwards — the restart: its pending input is
 * edited there and Continue finishes it from its journal, the edited input reaching the model.
 */
const firstMessage = (request: FakeRequest) => JSON.stringify(request.body.messages[0]?.content ?? '');

test('a run paused at a breakpoint before a restart: edit its pending input in the war room and Continue', async ({
  page,
  fake,
  launchHost,
}) => {
  fake.setScript((request) => ({
    text: firstMessage(request).includes('Write about') ? 'written' : '[]',
  }));
  const { home, env, runWorkflow } = makeCliProfile(
    fake,
    chainWorkflow([['writer', 'agent', { prompt: 'Write about {{in}}' }]]),
  );
  const cli = await runWorkflow('--input', 'task=tea', '--break', 'writer', '--json');
  expect(cli.output).toContain('paused');
  const runId = runIdOf(cli.output);
  // Paused before the writer: the model was not called.
  expect(fake.requests.filter((request) => firstMessage(request).includes('Write about'))).toEqual([]);

  const host = await launchHost(home, env);
  await page.goto(`${host.url}#/runs/${runId}`);
  const room = page.getByRole('region', { name: 'War room' });
  await expect(room.getByTestId('run-detail-status')).toHaveText('paused');
  const paused = room.getByTestId('war-breakpoint');
  await expect(paused.getByTestId('war-breakpoint-where')).toHaveText('Paused before writer runs');
  const pending = paused.getByTestId('war-breakpoint-pending');
  expect(JSON.parse(await pending.inputValue())).toEqual({ in: 'tea' });
  // Paused at a breakpoint, the run goes on through Continue or Step: Resume would only pause there again.
  await expect(room.getByRole('button', { name: 'Resume', exact: true })).toHaveCount(0);

  // Not JSON: refused with a clear message, nothing sent.
  await pending.fill('{ not json');
  await paused.getByRole('button', { name: 'Continue' }).click();
  await expect(paused).toContainText('not valid JSON');

  await pending.fill('{ "in": "green tea, edited in the war room" }');
  await paused.getByRole('button', { name: 'Continue' }).click();
  await expect(room.getByTestId('run-detail-status')).toHaveText('completed', { timeout: 30_000 });
  await expect(paused).toHaveCount(0);
  const writes = fake.requests.filter((request) => firstMessage(request).includes('Write about'));
  expect(writes).toHaveLength(1);
  expect(firstMessage(writes[0] as FakeRequest)).toContain('Write about green tea, edited in the war room');
  await page.screenshot({ path: test.info().outputPath('war-room-breakpoint.png'), fullPage: true });
});

test('a run paused by its budget offers Resume in the war room, and no breakpoint controls', async ({
  page,
  fake,
  launchHost,
}) => {
  fake.setScript(() => ({ text: 'done' }));
  const { home, env, runWorkflow } = makeCliProfile(
    fake,
    chainWorkflow([
      ['first', 'agent', { prompt: 'First {{in}}' }],
      ['second', 'agent', { prompt: 'Second {{in}}' }],
    ]),
  );
  // Any model call costs more than this: the run pauses after the first one.
  const cli = await runWorkflow('--input', 'task=tea', '--budget-usd', '0.000001', '--json');
  expect(cli.output).toContain('paused');
  const runId = runIdOf(cli.output);

  const host = await launchHost(home, env);
  await page.goto(`${host.url}#/runs/${runId}`);
  const room = page.getByRole('region', { name: 'War room' });
  await expect(room.getByTestId('run-detail-status')).toHaveText('paused');
  await expect(room.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
  await expect(room.getByTestId('war-breakpoint')).toHaveCount(0);
});
