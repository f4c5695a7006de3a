import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { dropNode, openNewWorkflow } from './fixtures/canvas';
import { makeThrowawayHome } from './fixtures/host';
import { expect, test as base } from './fixtures/test';

const require = createRequire(import.meta.url);
const serverScript = (name: string) =>
  path.join(path.dirname(require.resolve(`@modelcontextprotocol/${name}/package.json`)), 'dist', 'index.js');

/** Here the host's profile configures one MCP server, the reference `everything` server over stdio. */
const test = base.extend({
  host: async ({ launchHost }, use) => {
    const home = makeThrowawayHome();
    fs.writeFileSync(
      path.join(home, 'mcp.json'),
      JSON.stringify({
        mcpServers: { everything: { command: process.execPath, args: [serverScript('server-everything'), 'stdio'] } },
      }),
    );
    await use(await launchHost(home));
  },
});

test('Settings → MCP servers: connect, add, test, disable and remove servers; secrets stay on the server', async ({
  page,
  host,
}) => {
  await page.goto(`${host.url}#/settings`);
  const everything = page.getByTestId('mcp-server-everything');
  await expect(everything).toContainText('stopped');
  await page.getByRole('button', { name: 'Connect all' }).click();
  await expect(everything).toContainText('connected');
  await expect(everything).toContainText(/\d+ tools/);
  await expect(everything).toContainText('get-tiny-image');

  await page.getByRole('button', { name: 'Add server' }).click();
  const files = path.join(host.home, 'notes');
  fs.mkdirSync(files);
  await page.locator('.mcp-server-row').last().getByLabel('Name').fill('files');
  await page
    .getByLabel('Configuration of the new server')
    .fill(JSON.stringify({ command: process.execPath, args: [serverScript('server-filesystem'), files] }));
  await page.getByRole('button', { name: 'Add server' }).click();
  const added = page.getByTestId('mcp-server-files');
  await expect(added).toContainText('stopped');
  await added.getByRole('button', { name: 'Test connection' }).click();
  await expect(added).toContainText('connected');
  await expect(added).toContainText('read_text_file');
  await added.getByRole('button', { name: 'Disable' }).click();
  await expect(added).toContainText('disabled');
  await added.getByRole('button', { name: 'Remove' }).click();
  await expect(added).toHaveCount(0);
  expect(JSON.parse(fs.readFileSync(path.join(host.home, 'mcp.json'), 'utf8')).mcpServers).not.toHaveProperty('files');

  await page.getByPlaceholder('GITHUB_TOKEN').fill('GITHUB_TOKEN');
  await page.getByLabel('Value').fill('ghp_e2e-secret-value');
  await page.getByRole('button', { name: 'Save secret' }).click();
  await expect(page.getByText('${secret:GITHUB_TOKEN}')).toBeVisible();
  await page.reload();
  await expect(page.getByText('${secret:GITHUB_TOKEN}')).toBeVisible();
  expect(await page.content()).not.toContain('ghp_e2e-secret-value');
});

test('the agent inspector offers every configured server’s tools with their descriptions', async ({ page, host }) => {
  await openNewWorkflow(page, host, 'With MCP');
  await dropNode(page, 'agent', { x: 320, y: 120 });
  await page.getByTestId('node-agent-1').click();
  const tools = page.getByRole('complementary', { name: 'Inspector' }).getByRole('group', { name: 'Tools' });
  await expect(tools).toContainText('MCP · everything');
  const echo = tools.locator('label', { hasText: 'Echoes back the input string' });
  await expect(echo).toContainText('echo');
  await echo.getByRole('checkbox').check();
  await tools.locator('label', { hasText: 'read_file' }).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('dirty-indicator')).not.toHaveText('● Unsaved changes');
  await page.reload();
  await page.getByTestId('node-agent-1').click();
  await expect(
    page
      .getByRole('group', { name: 'Tools' })
      .locator('label', { hasText: 'Echoes back the input string' })
      .getByRole('checkbox'),
  ).toBeChecked();
});

test('a project’s .mcp.json is untrusted until approved in Settings', async ({ page, host }) => {
  const projectDir = path.join(host.home, 'shop');
  fs.mkdirSync(projectDir);
  fs.writeFileSync(
    path.join(projectDir, '.mcp.json'),
    JSON.stringify({
      mcpServers: { shoptools: { command: process.execPath, args: [serverScript('server-everything'), 'stdio'] } },
    }),
  );
  await page.goto(`${host.url}#/settings`);
  await page.getByLabel('Project folder (to see and approve its .mcp.json servers)').fill(projectDir);
  await page.getByLabel('Project folder (to see and approve its .mcp.json servers)').blur();
  const server = page.getByTestId('mcp-server-shoptools');
  await expect(server).toContainText('untrusted');
  const prompt = page.getByRole('alert').filter({ hasText: 'wants to start: shoptools' });
  await expect(prompt).toBeVisible();
  await prompt.getByRole('button', { name: 'Approve' }).click();
  await expect(prompt).toHaveCount(0);
  await server.getByRole('button', { name: 'Test connection' }).click();
  await expect(server).toContainText('connected');
  await expect(server).not.toContainText('Remove');
});

test('the Problems panel names an MCP tool that no configured server offers', async ({ page, host }) => {
  // A workflow file written elsewhere, naming one real tool of the server and one it does not have.
  const node = (id: string, kind: string, x: number, config: Record<string, unknown>) => ({
    id,
    kind,
    position: { x, y: 100 },
    config,
  });
  const workflow = {
    schemaVersion: 1,
    id: 'wf-mcp-problems',
    name: 'MCP problems',
    description: '',
    nodes: [
      node('task', 'input', 0, { name: 'task' }),
      node('helper', 'agent', 260, { prompt: '{{in}}', tools: ['mcp__everything__echo', 'mcp__everything__teleport'] }),
    ],
    edges: [{ id: 'e1', source: { node: 'task', port: 'value' }, target: { node: 'helper', port: 'in' } }],
    viewport: { x: 0, y: 0, zoom: 1 },
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
  await page.goto(host.url);
  await page.getByTestId('import-file').setInputFiles({
    name: 'mcp-problems.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(workflow)),
  });
  await page.getByRole('link', { name: 'MCP problems' }).first().click();
  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems).toContainText('MCP server "everything" has no tool "teleport"', { timeout: 20_000 });
  await expect(problems).toContainText('(1 errors, 0 warnings)');
  await expect(problems).not.toContainText('"echo"');
});
