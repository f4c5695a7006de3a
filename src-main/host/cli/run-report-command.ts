import { Command, Option } from 'commander';
import { diffLines } from 'diff';
import fs from 'node:fs';
import path from 'node:path';
import type { NodeComparison, RunComparison, RunDivergence } from '@shared/run-compare';
import { RunExportFormatSchema, type RunExportFormat } from '@shared/run-export';
import { outputsAsText, type NodeRunSummary } from '@shared/run-node-summaries';
import type { WarRoom } from '../../app';
import { openCliApp } from './cli-app';
import type { CommandOutput } from './memory-command';

/** `warroom runs compare` and `warroom runs export`: finished runs side by side, or out as a file. */

/** Lines of `before` → `after` as `- ` removed, `+ ` added and `  ` kept, as a unified diff shows them. */
export function formatLineDiff(before: string, after: string): string[] {
  const lines: string[] = [];
  // As in the Compare view: a last line with or without its newline is the same line.
  const ended = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
  for (const change of diffLines(ended(before), ended(after))) {
    const mark = change.added ? '+ ' : change.removed ? '- ' : '  ';
    for (const line of change.value.replace(/\n$/, '').split('\n')) lines.push(`${mark}${line}`);
  }
  return lines;
}

const seconds = (summary: NodeRunSummary | null) =>
  summary?.durationMs == null ? '—' : `${(summary.durationMs / 1000).toFixed(1)} s`;
const tokens = (summary: NodeRunSummary | null) => (summary ? String(summary.inputTokens + summary.outputTokens) : '—');
const cost = (summary: NodeRunSummary | null) => (summary ? `$${summary.costUsd.toFixed(4)}` : '—');
const both = (node: NodeComparison, show: (summary: NodeRunSummary | null) => string) =>
  `${show(node.a)} / ${show(node.b)}`;

function nodeTable(nodes: readonly NodeComparison[]): string[] {
  const rows = nodes.map((node) => [
    `${node.teamNodeId ? '  ' : ''}${node.nodeId}`,
    both(node, (summary) => summary?.status ?? 'not run'),
    both(node, seconds),
    both(node, tokens),
    both(node, cost),
  ]);
  const header = ['node', 'status a / b', 'time a / b', 'tokens a / b', 'cost a / b'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

const asText = (value: unknown) => JSON.stringify(value, null, 2) ?? 'undefined';

function divergenceLines(divergence: RunDivergence | null): string[] {
  if (!divergence) return ['No divergence: every request either run made, the other made too.'];
  const where = divergence.scope ?? 'a step journaled before requests were kept';
  const ordinal = (step: RunDivergence['a']) => (step ? `#${step.ordinal}` : 'none');
  return [
    `First divergence: ${where} (${divergence.kind}), journal entry ${ordinal(divergence.a)} of a, ${ordinal(divergence.b)} of b`,
    '--- request of a',
    '+++ request of b',
    ...formatLineDiff(
      divergence.a ? asText(divergence.a.request) : '',
      divergence.b ? asText(divergence.b.request) : '',
    ),
  ];
}

function differingTexts(
  nodes: readonly NodeComparison[],
  what: string,
  text: (summary: NodeRunSummary | null) => string,
): string[] {
  const lines: string[] = [];
  for (const node of nodes) {
    const [before, after] = [text(node.a), text(node.b)];
    if (before === after) continue;
    lines.push('', `${what} of ${node.nodeId}:`, ...formatLineDiff(before, after));
  }
  return lines;
}

export function formatComparison(comparison: RunComparison, options: { transcripts?: boolean } = {}): string {
  const { a, b } = comparison;
  const describe = (run: RunComparison['a']) =>
    `${run.id} (${run.workflowName}, ${run.mode}, ${run.status}, $${run.usage.costUsd.toFixed(4)})`;
  return [
    `a: ${describe(a)}`,
    `b: ${describe(b)}`,
    ...(comparison.sameWorkflow ? [] : ['The runs are of different workflows.']),
    '',
    ...nodeTable(comparison.nodes),
    '',
    ...divergenceLines(comparison.divergence),
    ...differingTexts(comparison.nodes, 'Output', (summary) => outputsAsText(summary?.outputs ?? null)),
    ...(options.transcripts
      ? differingTexts(comparison.nodes, 'Transcript', (summary) => summary?.transcript ?? '')
      : []),
  ].join('\n');
}

export async function compareCommand(
  app: WarRoom,
  a: string,
  b: string,
  options: { json?: boolean; transcripts?: boolean },
): Promise<CommandOutput> {
  const comparison = await app.runComparison.compare(a, b);
  return { text: options.json ? JSON.stringify(comparison, null, 2) : formatComparison(comparison, options) };
}

/** Writes the export to `output`, or prints it when there is none (to pipe it elsewhere). */
export async function exportCommand(
  app: WarRoom,
  runId: string,
  options: { format: RunExportFormat; output?: string },
): Promise<CommandOutput> {
  const file = await app.runExports.export(runId, options.format);
  if (options.output === undefined) return { text: file.content };
  const target = path.resolve(options.output);
  fs.writeFileSync(target, file.content);
  return { text: `Wrote ${target} (${Math.ceil(Buffer.byteLength(file.content) / 1024)} KiB)` };
}

async function withApp(run: (app: WarRoom) => Promise<CommandOutput>): Promise<void> {
  const app = openCliApp();
  try {
    const output = await run(app);
    process.stdout.write(output.text.endsWith('\n') ? output.text : `${output.text}\n`);
    process.exitCode = output.exitCode ?? 0;
  } finally {
    app.close();
  }
}

/** Adds `compare` and `export` to `warroom runs` (made here if the runs commands are not registered). */
export function registerRunReportCommands(program: Command): void {
  const runs = program.commands.find((command) => command.name() === 'runs') ?? program.command('runs');
  runs
    .command('compare')
    .description('two runs side by side: per node status, time, tokens, cost and outputs, and where they diverge')
    .argument('<a>', 'a run id')
    .argument('<b>', 'the run id to compare it with')
    .option('--transcripts', "also show each agent's transcript diff")
    .option('--json', 'print the comparison as JSON (as the runs.compare API gives it)')
    .action((a: string, b: string, options: { json?: boolean; transcripts?: boolean }) =>
      withApp((app) => compareCommand(app, a, b, options)),
    );
  runs
    .command('export')
    .description('export a run (redacted) as a JSON document or a self-contained HTML report')
    .argument('<runId>')
    .addOption(
      new Option('--format <format>', 'json or html').choices(RunExportFormatSchema.options).makeOptionMandatory(),
    )
    .option('-o, --output <file>', 'write to this file instead of printing')
    .action((runId: string, options: { format: RunExportFormat; output?: string }) =>
      withApp((app) => exportCommand(app, runId, options)),
    );
}
