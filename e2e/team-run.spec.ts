import type { FakeReply, FakeRequest, FakeScript } from '../src-main/llm/testing/fake-anthropic-server';
import { startRun, useTemplate } from './fixtures/canvas';
import { createGate } from './fixtures/fake-model';
import { expect, test as base } from './fixtures/test';

/**
 * The "Feature team" template run from the canvas against the real host, the Anthropic API replaced by
 * the local fake: the coordinator delegates five tasks at once; the tester's model keeps failing, the
 * planner and architect answer at once, and the coder and reviewer wait until the test lets them answer,
 * so the live state can be looked at before the end.
 */
const test = base.extend<{
  /** Opens a team template and runs it from the canvas, the fake answering as `script` says, until it completes. */
  runTeamTemplate: (template: string, inputs: Record<string, string>, script: FakeScript) => Promise<void>;
}>({
  runTeamTemplate: async ({ page, fake, fakeModelHost, projectDir }, use) => {
    await use(async (template, inputs, script) => {
      fake.setScript(script);
      await useTemplate(page, fakeModelHost, template);
      await startRun(page, projectDir, inputs);
      await expect(page.getByTestId('run-status')).toHaveText('completed');
    });
  },
});

let gate: ReturnType<typeof createGate>;

/** The coordinator's delegations, in order, and how each member's model answers: some only once released. */
const DELEGATIONS: Array<{ role: string; task: string; reply: FakeReply; heldUntilReleased?: boolean }> = [
  {
    role: 'tester',
    task: 'Test the cart',
    reply: { status: 500, retryAfterSeconds: 0.01, message: 'tester model down' },
  },
  { role: 'planner', task: 'Plan the cart', reply: { text: 'Plan: a cart table, then the API.', chunkDelayMs: 10 } },
  { role: 'architect', task: 'Design the cart', reply: { text: 'Design: one cart per session.' } },
  { role: 'coder', task: 'Code the cart', reply: { text: 'Code: cart.ts written.' }, heldUntilReleased: true },
  { role: 'reviewer', task: 'Review the cart', reply: { text: 'Review: approved.' }, heldUntilReleased: true },
];

function scriptedTeam(released: Promise<void>) {
  return async (request: FakeRequest): Promise<FakeReply> => {
    const isCoordinator = request.body.tools?.some((tool) => tool.name === 'delegate') ?? false;
    if (isCoordinator) {
      if (request.body.messages.length > 1) return { text: 'Feature delivered: planned, designed, coded, reviewed.' };
      return {
        toolUses: DELEGATIONS.map(({ role, task }, index) => ({
          id: `d${index}`,
          name: 'delegate',
          input: { role, task },
        })),
      };
    }
    const task = JSON.stringify(request.body.messages[0]?.content ?? '');
    const member = DELEGATIONS.find((delegation) => task.includes(delegation.task));
    if (!member) return { text: '[]' };
    if (member.heldUntilReleased) await released;
    return member.reply;
  };
}

test.beforeEach(({ fake }) => {
  gate = createGate();
  fake.setScript(scriptedTeam(gate.opened));
});

test.afterEach(() => gate.open());

test('a team run on the canvas: members working and their states, the task tree live and at the end', async ({
  page,
  fakeModelHost,
  projectDir,
}) => {
  await useTemplate(page, fakeModelHost, 'feature-team');
  await expect(page.getByRole('textbox', { name: 'Workflow name' })).toHaveValue('Feature team');

  // The inspector edits the team's members; adding one is an undoable edit like any other.
  await page.getByTestId('node-team').click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByLabel('Topology *')).toHaveValue('hierarchical');
  await expect(inspector.getByRole('group', { name: /^Member \d$/ })).toHaveCount(5);
  await expect(inspector.getByRole('group', { name: 'Member 3' }).getByLabel('Role', { exact: true })).toHaveValue(
    'coder',
  );
  await expect(inspector.getByText('Max agents')).toBeVisible();
  await inspector.getByRole('button', { name: '+ Add member' }).click();
  await expect(inspector.getByRole('group', { name: /^Member \d$/ })).toHaveCount(6);
  await page.keyboard.press('Control+z');
  await page.screenshot({ path: 'test-results/team-inspector.png' });
  // The settings shown follow the topology.
  await inspector.getByLabel('Topology *').selectOption('vote');
  await expect(inspector.getByText('Aggregation')).toBeVisible();
  await expect(inspector.getByText('Max agents')).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(inspector.getByLabel('Topology *')).toHaveValue('hierarchical');
  await expect(inspector.getByText('Max agents')).toBeVisible();
  await expect(inspector.getByRole('group', { name: /^Member \d$/ })).toHaveCount(5);

  await startRun(page, projectDir, { task: 'a shopping cart' });
  // The Run button saved the edited document and started it, in one call.
  await expect(page.getByText('Unsaved changes')).toHaveCount(0);

  // Live: the coordinator waits on the coder and the reviewer; planner and architect are done; the tester failed.
  const members = page.getByTestId('team-members-team');
  await expect(members).toHaveText('3 working · 2 done · 1 failed');
  await expect(page.getByTestId('node-team')).toHaveAttribute('data-run-status', 'running');
  await page.getByTestId('node-team').click();
  const tree = page.getByTestId('task-tree');
  await expect(tree.getByTestId('task-1')).toContainText('coordinator');
  await expect(tree.getByTestId('task-1')).toHaveAttribute('data-status', 'running');
  const statuses = { '1.1': 'failed', '1.2': 'completed', '1.3': 'completed', '1.4': 'running', '1.5': 'running' };
  for (const [taskId, status] of Object.entries(statuses)) {
    await expect(tree.locator('li li').getByTestId(`task-${taskId}`)).toHaveAttribute('data-status', status);
  }
  await expect(tree.getByTestId('task-1.2')).toContainText('planner');

  // A task opens that member's own transcript.
  await tree.getByTestId('task-1.2').click();
  await expect(page.getByTestId('member-transcript')).toContainText('Plan: a cart table, then the API.');
  await tree.getByTestId('task-1.1').click();
  await expect(page.getByTestId('member-transcript')).toContainText('tester model down');
  await page.screenshot({ path: 'test-results/team-run-live.png' });

  gate.open();
  await expect(page.getByTestId('run-status')).toHaveText('completed');
  await expect(members).toHaveText('5 done · 1 failed');
  await expect(tree.getByTestId('task-1')).toHaveAttribute('data-status', 'completed');
  await expect(tree.getByTestId('task-1.4')).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('team-counts')).toHaveText('5 done · 1 failed');
  await tree.getByTestId('task-1.4').click();
  await expect(page.getByTestId('member-transcript')).toContainText('Code: cart.ts written.');
  await expect(page.getByTestId('run-outputs')).toContainText('Feature delivered');
  // Members are not canvas nodes: the template's four nodes are all there is.
  await expect(page.locator('.canvas-node')).toHaveCount(4);
  await tree.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/team-run.png' });
});

test('a vote on the canvas: the answers, who abstained, the winner and the judge’s reason', async ({
  page,
  runTeamTemplate,
}) => {
  await runTeamTemplate('best-of-three', { question: 'how should the cart survive a crash?' }, (request) => {
    const system = JSON.stringify(request.body.system ?? '');
    if (system.includes('You judge the answers')) return { text: '{"choice": 2, "reason": "it handles failures"}' };
    if (system.includes('Favour performance')) return { status: 500, retryAfterSeconds: 0.01, message: 'voter down' };
    const angle = /Favour (\w+)/.exec(system)?.[1];
    return { text: angle ? `the ${angle} answer` : '[]' };
  });
  await page.getByTestId('node-vote').click();
  const tally = page.getByTestId('vote-tally');
  await expect(tally).toContainText('Winner');
  await expect(tally).toContainText('Reason: it handles failures');
  await expect(tally.locator('.vote-row-winner')).toContainText('the robustness answer');
  await expect(tally.locator('tbody tr')).toHaveCount(2);
  await expect(tally).toContainText('abstained');
  await expect(page.getByTestId('team-members-vote')).toHaveText('3 done · 1 failed');
  await tally.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/team-vote.png' });
});

test('a mesh on the canvas: the board round by round, from → to, and who agreed', async ({ page, runTeamTemplate }) => {
  await runTeamTemplate('design-review', { design: 'one queue per tenant' }, (request) => {
    const name = /You are ([\w-]+), one of the peers/.exec(JSON.stringify(request.body.system ?? ''))?.[1];
    if (!name) return { text: '[]' };
    const round = Number(/Round (\d+)/.exec(JSON.stringify(request.body.messages[0]?.content ?? ''))?.[1]);
    if (request.body.messages.length > 1) return { text: `${name} position after round ${round}` };
    const post = { id: `p-${name}`, name: 'post_message', input: { text: `${name} finding ${round}` } };
    return { toolUses: round === 1 ? [post] : [post, { id: `a-${name}`, name: 'agree', input: {} }] };
  });
  await page.getByTestId('node-review').click();
  const board = page.getByTestId('message-board');
  await expect(board.locator('.board-round')).toHaveCount(2);
  await expect(board.locator('.board-round').first()).toContainText('Round 1 · no agreement');
  await expect(board.locator('.board-round').first()).toContainText(
    'security-reviewer → all security-reviewer finding 1',
  );
  await expect(board.locator('.board-round').nth(1)).toContainText('Round 2 · agreed');
  await expect(board.locator('.board-agreement')).toHaveCount(3);
  await expect(page.getByTestId('team-members-review')).toHaveText('6 done');
  await board.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/team-mesh.png' });
});
