import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import { aRun } from '@shared/testing/run-fixture';
import { buildWorkflow } from '../../engine/testing/workflow-builder';
import { escapeHtml, html } from './html';
import { renderRunReport } from './html-report';

const HOSTILE = '</pre><script>alert("x")</script><img src=x onerror=alert(1)>';

const workflow = {
  ...buildWorkflow(
    [
      ['task', 'input', { name: 'task' }],
      ['writer', 'agent', { prompt: 'Write {{in}}' }],
      ['result', 'output', { name: 'result' }],
    ],
    ['task.value -> writer.in', 'writer.out -> result.value'],
  ),
  name: `Tea <b onmouseover="x">`,
};

const run = aRun({
  id: 'run-1',
  workflowId: workflow.id,
  workflowName: workflow.name,
  inputs: { task: HOSTILE },
  outputs: { result: HOSTILE },
  budget: { maxUsd: 1 },
  usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01 },
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:04.000Z',
});

const at = (second: number) => `2026-12-01T10:00:0${second}.000Z`;
const events = [
  { type: 'run.started', nodeId: null, data: { mode: 'normal', sourceRunId: null, inputs: run.inputs }, at: at(0) },
  { type: 'node.started', nodeId: 'writer', data: { scope: 'writer#1', inputs: { in: HOSTILE } }, at: at(0) },
  { type: 'llm.delta', nodeId: 'writer', data: { text: `Here: ${HOSTILE}` }, at: at(1) },
  {
    type: 'llm.usage',
    nodeId: 'writer',
    data: {
      scope: 'writer#1',
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0.01,
      model: 'claude-x',
    },
    at: at(2),
  },
  {
    type: 'tool.call',
    nodeId: 'writer',
    data: { scope: 'writer#1', name: 'read_file', input: { path: `"'><svg onload=alert(2)>` } },
    at: at(2),
  },
  {
    type: 'tool.result',
    nodeId: 'writer',
    data: { scope: 'writer#1', name: 'read_file', isError: false, output: 'file text' },
    at: at(3),
  },
  { type: 'node.completed', nodeId: 'writer', data: { scope: 'writer#1', outputs: { out: HOSTILE } }, at: at(3) },
  {
    type: 'unknown',
    rawType: '<i>future</i>',
    problem: 'unknown event type',
    nodeId: null,
    data: { x: HOSTILE },
    at: at(4),
  },
  { type: 'run.completed', nodeId: null, data: { outputs: run.outputs, usage: run.usage }, at: at(4) },
].map((event, index) => ({ ...event, runId: run.id, seq: index + 1 })) as RunEvent[];

const report = () =>
  renderRunReport({ run, workflow, events, exportedAt: '2026-12-01T11:00:00.000Z', exportedBy: 'War Room test' });

describe('html', () => {
  it('escapes every interpolated value, keeps nested templates, and drops false and null', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'" onclick="x'}">${inner}${false}${null}${[1, '<', inner]}</p>`.text).toBe(
      '<p title="&quot; onclick=&quot;x"><b>&lt;i&gt;</b>1&lt;<b>&lt;i&gt;</b></p>',
    );
  });
});

describe('renderRunReport', () => {
  it('escapes a hostile payload wherever it appears: no markup of its own gets through', () => {
    const page = report();
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<svg onload');
    expect(page).not.toContain('<b onmouseover');
    expect(page).not.toContain('<i>future');
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&lt;i&gt;future&lt;/i&gt; (unreadable: unknown event type)');
    expect(page).toContain('<title>Tea &lt;b onmouseover=&quot;x&quot;&gt; — run run-1</title>');
  });

  it('is self-contained: nothing to load, and a policy that allows only its own style and script', () => {
    const page = report();
    // No tag has an attribute that loads or links anything (the hostile text above is text, escaped).
    expect(page).not.toMatch(/<[a-z][^<>]*\s(src|href|xlink:href|action|srcset|formaction)\s*=/i);
    expect(page).not.toMatch(/url\(|@import|<link|<iframe|<object|<embed|fetch\(|XMLHttpRequest|WebSocket/i);
    const attribute = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)?.[1] ?? '';
    const policy = attribute.replaceAll('&#39;', "'");
    expect(policy).toContain("default-src 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
    expect(policy).toContain(`style-src 'sha256-${hash('sha256', style, 'base64')}'`);
    expect(policy).toContain(`script-src 'sha256-${hash('sha256', script, 'base64')}'`);
  });

  it('shows the summary, a row per node, the timeline, costs, transcripts and the events', () => {
    const page = report();
    expect(page).toContain('<span class="status status-completed" id="run-status">completed</span>');
    expect(page).toMatch(/<tr data-node="writer">\s*<th scope="row">writer<\/th>\s*<td>agent<\/td>/);
    expect(page).toContain('4.0 s');
    expect(page).toContain('$0.0100 of a $1.0000 budget');
    // The writer's lane: its execution and its model call (from its first text) as spans, with tooltips.
    expect(page).toMatch(/<g class="lane" data-lane="writer">[\s\S]*class="span span-node span-ok"/);
    expect(page).toMatch(/class="span span-model span-ok"[^>]*><title>claude-x · model · 1.0 s · ok<\/title>/);
    expect(page).toMatch(/<caption>\s*By model\s*<\/caption>/);
    expect(page).toContain('<pre class="transcript-text">Here: &lt;/pre&gt;');
    expect(page).toContain(
      '[tool call] read_file {&quot;path&quot;:&quot;\\&quot;&#39;&gt;&lt;svg onload=alert(2)&gt;&quot;}',
    );
    expect(page).toContain(`All ${events.length} events`);
  });
});
