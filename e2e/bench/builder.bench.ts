import type { Page } from '@playwright/test';
import fs from 'node:fs';
import type { RunningHost } from '../fixtures/host';
import { expect, test } from '../fixtures/test';
import { frameTimesDuring, percentile } from './frame-times';

/**
 * Builder performance on a large graph, against a small one measured in the same run:
 * time to open a workflow, time to render every node (zoom to fit), and frame times while dragging a
 * node, panning and zooming. Prints the figures; it asserts only that the work happened.
 */

function chainWorkflow(id: string, size: number) {
  const columns = 20;
  const nodes = Array.from({ length: size }, (_, index) => ({
    id: `n${index}`,
    kind: 'transform',
    label: `Step ${index}`,
    position: { x: (index % columns) * 260, y: Math.floor(index / columns) * 160 },
    config: { template: `step ${index}: {{in}}`, json: false, onError: 'fail' },
  }));
  const edges = nodes.slice(1).map((node, index) => ({
    id: `e${index}`,
    source: { node: `n${index}`, port: 'out' },
    target: { node: node.id, port: 'in' },
  }));
  const now = new Date().toISOString();
  return {
    schemaVersion: 1,
    id,
    name: `Chain of ${size}`,
    description: '',
    nodes,
    edges,
    viewport: { x: 40, y: 40, zoom: 0.8 },
    createdAt: now,
    updatedAt: now,
  };
}

interface Figures {
  openMs: number;
  fitMs: number;
  drag: number[];
  pan: number[];
  zoom: number[];
}

async function measure(page: Page, host: RunningHost, size: number): Promise<Figures> {
  const file = test.info().outputPath(`chain-${size}.json`);
  fs.writeFileSync(file, JSON.stringify(chainWorkflow(`bench-${size}`, size)));
  await page.goto(`${host.url}#/builder`);
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByText(`Imported “Chain of ${size}”`)).toBeVisible();

  const started = Date.now();
  await page.getByRole('link', { name: `Chain of ${size}` }).click();
  await page.locator('.canvas-node').first().waitFor();
  const openMs = Date.now() - started;

  const fitStarted = Date.now();
  await page.keyboard.press('f');
  await expect(page.locator('.canvas-node')).toHaveCount(size, { timeout: 60_000 });
  const fitMs = Date.now() - fitStarted;
  await page.getByRole('button', { name: 'zoom in' }).click();
  await page.getByRole('button', { name: 'zoom in' }).click();

  const node = await page.locator('.canvas-node').first().boundingBox();
  if (!node) throw new Error('no node on screen');
  const drag = await frameTimesDuring(page, async () => {
    await page.mouse.move(node.x + 20, node.y + 10);
    await page.mouse.down();
    await page.mouse.move(node.x + 220, node.y + 140, { steps: 60 });
    await page.mouse.up();
  });
  const pane = await page.getByTestId('canvas').boundingBox();
  if (!pane) throw new Error('no canvas');
  const pan = await frameTimesDuring(page, async () => {
    await page.mouse.move(pane.x + pane.width - 40, pane.y + pane.height / 2);
    await page.mouse.down();
    await page.mouse.move(pane.x + 60, pane.y + pane.height / 2 - 80, { steps: 60 });
    await page.mouse.up();
  });
  const zoom = await frameTimesDuring(page, async () => {
    await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, i < 15 ? -120 : 120);
  });
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: '← Workflows' }).click();
  return { openMs, fitMs, drag, pan, zoom };
}

function row(label: string, small: Figures, large: Figures, pick: (f: Figures) => number, unit = 'ms') {
  const a = pick(small);
  const b = pick(large);
  return `${label.padEnd(26)} ${a.toFixed(1).padStart(8)} ${unit}  ${b.toFixed(1).padStart(8)} ${unit}  ×${(b / a).toFixed(2)}`;
}

test('builder on 500 nodes vs 50 nodes', async ({ page, host }) => {
  const small = await measure(page, host, 50);
  const large = await measure(page, host, 500);
  const lines = [
    '',
    'Builder benchmark (Chromium, browser mode)      50 nodes     500 nodes   ratio',
    row('open workflow', small, large, (f) => f.openMs),
    row('render all (zoom to fit)', small, large, (f) => f.fitMs),
    row('drag node: frame p50', small, large, (f) => percentile(f.drag, 50)),
    row('drag node: frame p95', small, large, (f) => percentile(f.drag, 95)),
    row('pan: frame p50', small, large, (f) => percentile(f.pan, 50)),
    row('pan: frame p95', small, large, (f) => percentile(f.pan, 95)),
    row('zoom: frame p50', small, large, (f) => percentile(f.zoom, 50)),
    row('zoom: frame p95', small, large, (f) => percentile(f.zoom, 95)),
    `target: a 500-node workflow opens in under 1000 ms (measured: ${large.openMs} ms)`,
  ];
  console.log(lines.join('\n'));
  expect(large.drag.length).toBeGreaterThan(10);
});
