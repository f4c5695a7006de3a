import { Command, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { ApprovalDecision, Run } from '@shared/runs';
import type { RunEvent } from '@shared/run-events';
import { TERMINAL_RUN_STATUSES } from '@shared/runs';
import { parseWorkflowDocument, type Workflow } from '@shared/workflow';
import { pendingBreakpoint, type Breakpoint, type ContinueAction } from '@shared/breakpoints';
import { BREAK_SYNTAX, parseBreakOption } from './break-option';
import { createEventFormatter } from './event-format';
import { tasksReport } from './task-tree-format';
import type { WarRoom } from '../../app';
import { openCliApp } from './cli-app';
import { InvalidRunWorkflowError } from '../../engine/engine';
import { checkMcpTools } from '../../services/mcp-tool-check';

/** Where a run command writes, and how it asks a human (approvals) when there is one. */
export interface RunCommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Asks a question on a terminal; absent when nobody can answer (pipes, CI). */
  ask?: (question: string) => Promise<string>;
}

export interface FollowOptions {
  json?: boolean;
  afterSeq?: number;
}

export const EXIT_CODES = { completed: 0, failed: 1, paused: 2, waiting: 2, cancelled: 130, running: 2 } as const;

function parseInputPair(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError('use name=value');
  return { ...previous, [value.slice(0, separator)]: parseValue(value.slice(separator + 1)) };
}

/** JSON when it parses (numbers, lists, objects), the plain text otherwise. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function parseUsd(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError('must be a non-negative number');
  return number;
}

export function loadWorkflowFile(file: string): Workflow {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = parseWorkflowDocument(raw);
  if (!parsed.ok) {
    throw new InvalidRunWorkflowError(parsed.problems.map((problem) => ({ severity: 'error', ...problem })));
  }
  return parsed.workflow;
}

async function askForDecision(io: RunCommandIo, nodeId: string): Promise<ApprovalDecision | null> {
  if (!io.ask) return null;
  const answer = (await io.ask(`Approve ${nodeId}? [a]pprove / [r]eject / [e]dit: `)).trim().toLowerCase();
  if (answer.startsWith('r')) return { decision: 'reject', reason: (await io.ask('Reason: ')).trim() };
  if (answer.startsWith('e'))
    return { decision: 'edit', payload: parseValue(await io.ask('New payload (JSON or text): ')) };
  return { decision: 'approve' };
}

type BreakpointAnswer = { action: ContinueAction; input?: unknown } | 'stop';

async function askAtBreakpoint(io: RunCommandIo): Promise<BreakpointAnswer | null> {
  if (!io.ask) return null;
  const answer = (await io.ask('[c]ontinue / [s]tep / [e]dit and continue / s[t]op: ')).trim().toLowerCase();
  if (answer.startsWith('t')) return 'stop';
  if (answer.startsWith('s')) return { action: 'step' };
  if (answer.startsWith('e')) return { action: 'continue', input: parseValue(await io.ask('New value (JSON): ')) };
  return { action: 'continue' };
}

/**
 * Prints a run's events until it settles here: completed, failed, cancelled, paused (budget), or
 * waiting for an approval nobody at this terminal can give. Returns the exit code.
 */
export async function followRun(app: WarRoom, runId: string, io: RunCommandIo, options: FollowOptions = {}) {
  const formatEvent = createEventFormatter();
  for await (const event of app.runs.events(runId, options.afterSeq ?? 0, { follow: true })) {
    if (options.json) io.out(JSON.stringify(event));
    else {
      const line = formatEvent(event);
      if (line !== null) io.out(line);
    }
    if (event.type === 'run.paused') break;
    if (event.type === 'approval.requested' && event.nodeId && app.runs.isLive(runId)) {
      const decision = await askForDecision(io, event.nodeId);
      if (!decision) {
        io.err(`run ${runId} waits for approval of "${event.nodeId}": warroom runs approve ${runId} ${event.nodeId}`);
        break;
      }
      app.runs.approve(runId, event.nodeId, decision);
    }
    if (event.type === 'breakpoint.hit' && app.runs.isLive(runId)) {
      const answer = await askAtBreakpoint(io);
      if (!answer) {
        io.err(`run ${runId} is paused at a breakpoint: warroom runs continue ${runId} [--step] [--input JSON]`);
        break;
      }
      if (answer === 'stop') app.runs.cancel(runId);
      else app.runs.continue(runId, answer.action, answer.input);
    }
  }
  await app.runs.shutdown();
  const run = app.runs.get(runId);
  if (!options.json) {
    if (Object.keys(run.outputs).length > 0) io.out(`outputs:\n${JSON.stringify(run.outputs, null, 2)}`);
    if (!TERMINAL_RUN_STATUSES.includes(run.status)) {
      const next = pendingBreakpoint(app.runs.eventsSoFar(runId)) ? 'continue' : 'resume';
      io.out(`run ${run.id} is ${run.status}: warroom runs ${next} ${run.id}`);
    }
  }
  return EXIT_CODES[run.status];
}

export function formatRunTable(runs: Run[]): string {
  if (runs.length === 0) return 'no runs yet';
  return runs
    .map(
      (run) =>
        `${run.id}  ${run.status.padEnd(9)}  ${run.mode.padEnd(6)}  ${run.createdAt}  $${run.usage.costUsd.toFixed(4)}  ${run.workflowName}`,
    )
    .join('\n');
}

export function formatRunDetails(run: Run, events: RunEvent[]): string {
  const lines = [
    `run ${run.id} — ${run.workflowName} (${run.workflowId})`,
    `status: ${run.status}${run.pauseReason ? ` (${run.pauseReason})` : ''}${run.error ? ` — ${run.error}` : ''}`,
    `mode: ${run.mode}${run.sourceRunId ? ` of ${run.sourceRunId}` : ''}`,
    `project: ${run.projectDir}`,
    `inputs: ${JSON.stringify(run.inputs)}`,
    `usage: ${run.usage.inputTokens} in + ${run.usage.outputTokens} out tokens, $${run.usage.costUsd.toFixed(4)}`,
    `outputs: ${JSON.stringify(run.outputs, null, 2)}`,
    '',
    ...events.map(createEventFormatter()).filter((line): line is string => line !== null),
  ];
  return lines.join('\n');
}

interface CommonOptions {
  json?: boolean;
}

async function withApp(action: (app: WarRoom, io: RunCommandIo) => Promise<number>): Promise<void> {
  const app = openCliApp();
  const terminal = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : null;
  const io: RunCommandIo = {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    ...(terminal ? { ask: (question: string) => terminal.question(question) } : {}),
  };
  const stop = () => void app.runs.shutdown().then(() => process.exit(130));
  process.once('SIGINT', stop);
  try {
    process.exitCode = await action(app, io);
  } catch (error) {
    if (error instanceof InvalidRunWorkflowError) {
      console.error('warroom: the workflow cannot run:');
      for (const problem of error.problems) console.error(`  ${problem.path}: ${problem.message}`);
      process.exitCode = 1;
    } else throw error;
  } finally {
    process.off('SIGINT', stop);
    terminal?.close();
    await app.runs.shutdown();
    app.close();
  }
}

export function registerRunCommands(program: Command): void {
  program
    .command('run')
    .description('run a workflow file, showing live progress per node')
    .argument('<workflow>', 'workflow JSON file')
    .requiredOption('--project <dir>', 'the project directory agents work in')
    .option('--input <name=value>', 'a run input (repeatable; JSON values are parsed)', parseInputPair, {})
    .option('--budget-usd <usd>', 'stop (pause) the run when it has spent this much', parseUsd)
    .option(
      '--break <where>',
      `pause at a breakpoint (repeatable): ${BREAK_SYNTAX}; breakpoints saved in the file are not used`,
      parseBreakOption,
      [],
    )
    .option('--json', 'print events as JSON lines')
    .action(
      async (
        file: string,
        options: CommonOptions & {
          project: string;
          input: Record<string, unknown>;
          budgetUsd?: number;
          break: Breakpoint[];
        },
      ) =>
        withApp(async (app, io) => {
          const workflow = loadWorkflowFile(file);
          const projectDir = path.resolve(options.project);
          // The engine's validation cannot know MCP servers: check the agents' MCP tools before starting.
          const mcpProblems = await checkMcpTools(workflow, app.mcp, projectDir);
          for (const warning of mcpProblems.filter((problem) => problem.severity === 'warning')) {
            io.err(`warning: ${warning.path}: ${warning.message}`);
          }
          const mcpErrors = mcpProblems.filter((problem) => problem.severity === 'error');
          if (mcpErrors.length > 0) throw new InvalidRunWorkflowError(mcpErrors);
          const run = app.runs.start({
            workflow,
            projectDir,
            // Redacted before the run is recorded, as the API does.
            inputs: await app.redactor.redactDeep(options.input),
            ...(options.budgetUsd === undefined ? {} : { budget: { maxUsd: options.budgetUsd } }),
            ...(options.break.length > 0 ? { breakpoints: options.break } : {}),
          });
          return followRun(app, run.id, io, { json: options.json ?? false });
        }),
    );

  const runs = program.command('runs').description('list, inspect, resume, replay and fork runs');
  runs
    .command('list')
    .option('--limit <n>', 'how many', (value) => Number.parseInt(value, 10), 20)
    .option('--json', 'print JSON')
    .action((options: CommonOptions & { limit: number }) =>
      withApp((app, io) => {
        const list = app.runs.list(options.limit);
        io.out(options.json ? JSON.stringify(list, null, 2) : formatRunTable(list));
        return Promise.resolve(0);
      }),
    );
  runs
    .command('show')
    .argument('<runId>')
    .option('--json', 'print the run and its events as JSON')
    .action((runId: string, options: CommonOptions) =>
      withApp((app, io) => {
        const run = app.runs.get(runId);
        const events = [...collect(app, runId)];
        io.out(options.json ? JSON.stringify({ run, events }, null, 2) : formatRunDetails(run, events));
        return Promise.resolve(0);
      }),
    );
  runs
    .command('tasks')
    .description("a run's team task trees: each task's role, status, cost and delegations")
    .argument('<runId>')
    .option('--json', 'print the tree as JSON (as the runs.tasks API gives it)')
    .action((runId: string, options: CommonOptions) =>
      withApp((app, io) => {
        io.out(tasksReport(collect(app, runId), options.json ?? false));
        return Promise.resolve(0);
      }),
    );
  runs
    .command('resume')
    .description('continue a paused, waiting or interrupted run without redoing finished work')
    .argument('<runId>')
    .option('--budget-usd <usd>', 'a new run budget', parseUsd)
    .option('--json', 'print events as JSON lines')
    .action((runId: string, options: CommonOptions & { budgetUsd?: number }) =>
      withApp((app, io) => {
        const afterSeq = collect(app, runId).at(-1)?.seq ?? 0;
        const budget =
          options.budgetUsd === undefined ? undefined : { ...app.runs.get(runId).budget, maxUsd: options.budgetUsd };
        app.runs.resume(runId, budget);
        return followRun(app, runId, io, { json: options.json ?? false, afterSeq });
      }),
    );
  runs
    .command('continue')
    .description('let a run paused at a breakpoint go on (from the journal if its app has stopped)')
    .argument('<runId>')
    .option('--step', 'run the pending node or tool call, then pause before the next one')
    .option('--input <value>', 'the pending input or tool arguments to use instead (JSON)')
    .option('--json', 'print events as JSON lines')
    .action((runId: string, options: CommonOptions & { step?: boolean; input?: string }) =>
      withApp((app, io) => {
        const afterSeq = collect(app, runId).at(-1)?.seq ?? 0;
        app.runs.continue(
          runId,
          options.step ? 'step' : 'continue',
          options.input === undefined ? undefined : parseValue(options.input),
        );
        return followRun(app, runId, io, { json: options.json ?? false, afterSeq });
      }),
    );
  runs
    .command('replay')
    .description('re-run a run from its journal: no model calls, no tool side effects')
    .argument('<runId>')
    .option('--json', 'print events as JSON lines')
    .action((runId: string, options: CommonOptions) =>
      withApp((app, io) => followRun(app, app.runs.replay(runId).id, io, { json: options.json ?? false })),
    );
  runs
    .command('fork')
    .description('re-run from one node with an edited input, re-using everything upstream')
    .argument('<runId>')
    .requiredOption('--node <nodeId>', 'the node to re-run from')
    .requiredOption('--input <value>', 'its new input (JSON or text)')
    .option('--json', 'print events as JSON lines')
    .action((runId: string, options: CommonOptions & { node: string; input: string }) =>
      withApp(async (app, io) =>
        followRun(
          app,
          app.runs.fork(runId, options.node, await app.redactor.redactDeep(parseValue(options.input))).id,
          io,
          {
            json: options.json ?? false,
          },
        ),
      ),
    );
  runs
    .command('approve')
    .description('decide a pending approval and continue the run')
    .argument('<runId>')
    .argument('<nodeId>')
    .option('--reject [reason]', 'reject instead of approving')
    .option('--edit <payload>', 'approve with an edited payload (JSON or text)')
    .option('--json', 'print events as JSON lines')
    .action((runId: string, nodeId: string, options: CommonOptions & { reject?: string | boolean; edit?: string }) =>
      withApp((app, io) => {
        const afterSeq = collect(app, runId).at(-1)?.seq ?? 0;
        const decision: ApprovalDecision =
          options.reject !== undefined
            ? { decision: 'reject', ...(typeof options.reject === 'string' ? { reason: options.reject } : {}) }
            : options.edit !== undefined
              ? { decision: 'edit', payload: parseValue(options.edit) }
              : { decision: 'approve' };
        app.runs.approve(runId, nodeId, decision);
        return followRun(app, runId, io, { json: options.json ?? false, afterSeq });
      }),
    );
  runs
    .command('cancel')
    .argument('<runId>')
    .action((runId: string) =>
      withApp((app, io) => {
        io.out(`run ${runId} is ${app.runs.cancel(runId).status}`);
        return Promise.resolve(0);
      }),
    );
}

function collect(app: WarRoom, runId: string): RunEvent[] {
  return app.runs.eventsSoFar(runId);
}
