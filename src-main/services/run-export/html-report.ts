import { foldCosts } from '@shared/run-costs';
import type { RunEvent } from '@shared/run-events';
import { outputsAsText, summarizeNodes, type NodeRunSummary } from '@shared/run-node-summaries';
import { foldTimeline } from '@shared/run-timeline';
import type { Run } from '@shared/runs';
import type { Workflow } from '@shared/workflow';
import { formatCount, formatDuration, formatJson, formatTime, formatUsd } from './format';
import { html, SafeHtml } from './html';
import { REPORT_CSP, REPORT_CSS, REPORT_SCRIPT } from './report-assets';
import { costsSection } from './report-costs';
import { timelineSvg } from './report-timeline';

/**
 * The report's own style sheet and script go in exactly as written, the policy's hashes being of that
 * text; built outside the templates, which a formatter may re-indent.
 */
const element = (tag: 'style' | 'script', asset: string) => new SafeHtml(`<${tag}>${asset}</${tag}>`);

export interface RunReportInput {
  run: Run;
  workflow: Workflow;
  events: readonly RunEvent[];
  exportedAt: string;
  exportedBy: string;
}

/** How an event reads in the log: its data as compact JSON (deltas as their text). */
function eventDetail(event: RunEvent): string {
  if (event.type === 'llm.delta') return event.data.text;
  return JSON.stringify(event.data) ?? '';
}

function labelFor(workflow: Workflow, summaries: ReadonlyMap<string, NodeRunSummary>) {
  return (nodeId: string): string => {
    const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
    if (node) return node.label ? `${node.label} (${node.id})` : node.id;
    const teamNodeId = summaries.get(nodeId)?.teamNodeId;
    return teamNodeId ? `${teamNodeId} › ${nodeId.slice(teamNodeId.length + 1)}` : nodeId;
  };
}

function nodesTable(summaries: readonly NodeRunSummary[], workflow: Workflow, label: (id: string) => string) {
  const kindOf = (id: string) =>
    workflow.nodes.find((node) => node.id === id)?.kind ?? (id.includes('/') ? 'member' : '');
  return html`<table id="nodes">
    <thead>
      <tr>
        <th scope="col">Node</th>
        <th scope="col">Kind</th>
        <th scope="col">Status</th>
        <th scope="col">Started</th>
        <th scope="col">Time</th>
        <th scope="col">Model calls</th>
        <th scope="col">Tokens in / out</th>
        <th scope="col">Cost</th>
      </tr>
    </thead>
    <tbody>
      ${summaries.map(
        (summary) =>
          html`<tr data-node="${summary.nodeId}">
            <th scope="row">${label(summary.nodeId)}</th>
            <td>${kindOf(summary.nodeId)}</td>
            <td>
              <span class="status status-${summary.status}">${summary.status}</span
              >${summary.error !== null && html`<div class="error">${summary.error}</div>`}
            </td>
            <td>${formatTime(summary.startedAt)}</td>
            <td class="num">${formatDuration(summary.durationMs)}</td>
            <td class="num">${formatCount(summary.modelCalls)}</td>
            <td class="num">${formatCount(summary.inputTokens)} / ${formatCount(summary.outputTokens)}</td>
            <td class="num">${formatUsd(summary.costUsd)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function transcripts(summaries: readonly NodeRunSummary[], label: (id: string) => string): SafeHtml {
  const agents = summaries.filter((summary) => summary.transcript !== '' || summary.outputs !== null);
  if (agents.length === 0) return html`<p class="muted">No node produced a transcript or an output.</p>`;
  return html`<div class="toolbar">
      <button type="button" id="expand-all">Expand all</button
      ><button type="button" id="collapse-all">Collapse all</button>
    </div>
    ${agents.map(
      (summary) =>
        html`<details class="transcript" data-node="${summary.nodeId}" open>
          <summary>${label(summary.nodeId)}</summary>
          ${summary.transcript !== '' && html`<pre class="transcript-text">${summary.transcript}</pre>`}
          ${
            summary.outputs !== null &&
            html`<div class="muted">Output</div>
              <pre class="node-output">${outputsAsText(summary.outputs)}</pre>`
          }
        </details>`,
    )}`;
}

function eventLog(events: readonly RunEvent[]): SafeHtml {
  return html`<details>
    <summary>All ${formatCount(events.length)} events</summary>
    <div class="toolbar">
      <input type="search" id="event-filter" placeholder="Filter events" aria-label="Filter events" /><span
        id="event-count"
        class="muted"
        >${formatCount(events.length)} events</span
      >
    </div>
    <ol class="events" id="events">
      ${events.map(
        (event) =>
          html`<li>
            <span class="muted">#${event.seq} ${formatTime(event.at)}</span>
            <strong>${event.type === 'unknown' ? `${event.rawType} (unreadable: ${event.problem})` : event.type}</strong
            >${event.nodeId !== null && html` <span class="muted">· ${event.nodeId}</span>`}
            <pre>${eventDetail(event)}</pre>
          </li>`,
      )}
    </ol>
  </details>`;
}

/**
 * The run as one HTML file that opens anywhere, offline and without War Room: summary, a table of the
 * nodes, the timeline of agents, costs, transcripts and the whole event log. It takes data already
 * redacted; every value in it is escaped (see `html`).
 */
export function renderRunReport(input: RunReportInput): string {
  const { run, workflow, events } = input;
  const summaries = summarizeNodes(events);
  const byId = new Map(summaries.map((summary) => [summary.nodeId, summary]));
  const label = labelFor(workflow, byId);
  const timeline = foldTimeline(events);
  const costs = foldCosts(events, run.budget);
  const duration = Date.parse(run.updatedAt) - Date.parse(run.createdAt);
  const hasOutputs = Object.keys(run.outputs).length > 0;

  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="${input.exportedBy}" />
        <title>${run.workflowName} — run ${run.id}</title>
        ${element('style', REPORT_CSS)}
      </head>
      <body>
        <header>
          <h1>${run.workflowName}</h1>
          <span class="status status-${run.status}" id="run-status">${run.status}</span>
          <dl class="meta">
            <dt>Run</dt>
            <dd>${run.id}</dd>
            <dt>Mode</dt>
            <dd>${run.mode}${run.sourceRunId !== null && ` of ${run.sourceRunId}`}</dd>
            <dt>Project</dt>
            <dd>${run.projectDir}</dd>
            <dt>Started</dt>
            <dd>${formatTime(run.createdAt)}</dd>
            <dt>Last change</dt>
            <dd>${formatTime(run.updatedAt)} (${formatDuration(Number.isNaN(duration) ? null : duration)})</dd>
            <dt>Tokens</dt>
            <dd>${formatCount(run.usage.inputTokens)} in, ${formatCount(run.usage.outputTokens)} out</dd>
            <dt>Cost</dt>
            <dd>
              ${formatUsd(run.usage.costUsd)}${run.budget.maxUsd !== undefined && ` of a ${formatUsd(run.budget.maxUsd)} budget`}
            </dd>
            <dt>Exported</dt>
            <dd>${formatTime(input.exportedAt)} by ${input.exportedBy}</dd>
          </dl>
          ${run.error !== null && html`<p class="error">${run.error}</p>`}
          ${run.pauseReason !== null && html`<p class="status-paused">Paused: ${run.pauseReason}</p>`}
        </header>
        <h2>Inputs</h2>
        <pre id="run-inputs">${formatJson(run.inputs)}</pre>
        ${
          hasOutputs &&
          html`<h2>Outputs</h2>
            <pre id="run-outputs">${formatJson(run.outputs)}</pre>`
        }
        <h2>Nodes</h2>
        ${nodesTable(summaries, workflow, label)}
        <h2>Timeline</h2>
        <div class="timeline-wrap">${timelineSvg(timeline, label)}</div>
        <h2>Costs</h2>
        ${costsSection(costs, timeline.startMs, label)}
        <h2>Transcripts</h2>
        ${transcripts(summaries, label)}
        <h2>Events</h2>
        ${eventLog(events)} ${element('script', REPORT_SCRIPT)}
      </body>
    </html> `;
  return page.text;
}
