import { Command, InvalidArgumentError, Option } from 'commander';
import { AUDIT_KINDS, AuditKindSchema, type AuditEntry, type AuditFilter, type AuditKind } from '@shared/audit';
import { summarizeAuditEntry } from '@shared/audit-summary';
import type { WarRoom } from '../../app';
import { openCliApp, processIo, type CliIo } from './cli-app';

/** Where the audit commands write; they read nothing from stdin. */
export type AuditCommandIo = Omit<CliIo, 'stdin'>;

interface ListOptions {
  since?: string;
  run?: string;
  kind?: AuditKind[];
  limit?: number;
  json?: boolean;
}

function parseTime(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidArgumentError('must be a date or ISO timestamp, e.g. 2026-01-31T12:00:00Z');
  return new Date(time).toISOString();
}

function collectKind(value: string, previous: AuditKind[] = []): AuditKind[] {
  const kind = AuditKindSchema.safeParse(value);
  if (!kind.success) throw new InvalidArgumentError(`must be one of ${AUDIT_KINDS.join(', ')}`);
  return [...previous, kind.data];
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new InvalidArgumentError('must be an integer from 1 to 10000');
  }
  return limit;
}

function formatTable(entries: AuditEntry[]): string {
  const rows = entries.map((entry) => [
    String(entry.seq),
    entry.at,
    entry.kind,
    entry.actor,
    entry.runId ?? '-',
    entry.nodeId ?? '-',
    summarizeAuditEntry(entry),
  ]);
  const header = ['SEQ', 'TIME', 'KIND', 'ACTOR', 'RUN', 'NODE', 'WHAT'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.slice(0, 1000).map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** `warroom audit`: the entries as a table, or one JSON object per line with --json. */
export function listAuditCommand(app: WarRoom, options: ListOptions): { text: string; exitCode: number } {
  const filter: AuditFilter = {
    ...(options.since ? { since: options.since } : {}),
    ...(options.run ? { runId: options.run } : {}),
    ...(options.kind ? { kinds: options.kind } : {}),
  };
  const entries: AuditEntry[] = [];
  let truncated = false;
  for (const entry of app.audit.each(filter)) {
    if (options.limit !== undefined && entries.length >= options.limit) {
      truncated = true;
      break;
    }
    entries.push(entry);
  }
  if (options.json) return { text: entries.map((entry) => JSON.stringify(entry)).join('\n'), exitCode: 0 };
  if (entries.length === 0) return { text: 'No audit entries match.', exitCode: 0 };
  const more = truncated ? `\n(more entries match; raise --limit to see them)` : '';
  return { text: formatTable(entries) + more, exitCode: 0 };
}

/** `warroom audit verify`: exit 0 with the count when the chain is intact, 1 naming the first broken entry. */
export function verifyAuditCommand(app: WarRoom, options: { json?: boolean }): { text: string; exitCode: number } {
  const result = app.audit.verify();
  const exitCode = result.intact ? 0 : 1;
  if (options.json) return { text: JSON.stringify(result), exitCode };
  if (result.intact) {
    return { text: `The audit log is intact: ${result.count} entries, last hash ${result.lastHash}.`, exitCode };
  }
  return {
    text:
      `The audit log is broken at entry ${result.brokenAt.seq} (${result.brokenAt.reason}): ${result.brokenAt.message}. ` +
      `The ${result.count} entries before it are intact.`,
    exitCode,
  };
}

function withApp(io: AuditCommandIo, run: (app: WarRoom) => { text: string; exitCode: number }): void {
  const app = openCliApp(io.env);
  try {
    const output = run(app);
    if (output.text) io.stdout.write(`${output.text}\n`);
    io.setExitCode(output.exitCode);
  } finally {
    app.close();
  }
}

export function registerAuditCommands(program: Command, io: AuditCommandIo = processIo): void {
  const audit = program
    .command('audit')
    .description('list the tamper-evident audit log of agents’ actions and people’s changes; `audit verify` checks it')
    .option('--since <time>', 'only entries at or after this time', parseTime)
    .option('--run <id>', 'only entries of this run')
    .addOption(
      new Option('--kind <kind>', `only this kind (repeatable): ${AUDIT_KINDS.join(', ')}`).argParser(collectKind),
    )
    .option('--limit <n>', 'print at most this many entries', parseLimit)
    .option('--json', 'print one JSON object per line')
    .action((options: ListOptions) => withApp(io, (app) => listAuditCommand(app, options)));

  audit
    .command('verify')
    .description('recompute the hash chain; names the first broken entry and exits 1 when it does not hold')
    .option('--json', 'print the result as JSON')
    // The listing's --json is recognised after `verify` too (commander's global options), so read both.
    .action((_options: unknown, command: Command) =>
      withApp(io, (app) => verifyAuditCommand(app, command.optsWithGlobals<{ json?: boolean }>())),
    );
}
