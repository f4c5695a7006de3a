import Database from 'better-sqlite3';
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsOfType } from '@shared/run-events';
import { foldTaskTree, type TeamTask } from '@shared/team-tasks';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import { LABEL } from '../../sandbox/docker-sandbox';
import { ensureSandboxImage, requireDockerEngine } from '../../sandbox/testing/sandbox-fixture';
import { SqliteRunStore } from '../../store/run-repository';
import { seededRandom } from '@shared/testing/seeded-random';
import { startCliProcess } from '../cli-process';
import { bundleCli } from './cli-bundle';
import { CRASH_WORKFLOWS, crashScript, markerOf, markersIn, type CrashWorkflowKind } from './crash-workflows';

/**
 * Kills the real `warroom` CLI with SIGKILL at seeded random points of a team run, a chain of sandbox
 * steps and a run that ends in memory synthesis — 20 kills in all — and resumes each run with
 * `warroom runs resume` until it completes. The fake Messages API runs here, in the parent, so it sees
 * every child's requests.
 *
 * "No completed model call is repeated", precisely: a model call is completed once its answer is in the
 * run's journal (an answer the fake finished sending but the child never recorded died with the child,
 * and asking again is the only way to get it). So: (1) no request whose answer was journaled before a
 * child started is ever sent by that child; (2) when the run completes, its journal holds exactly the
 * model calls the workflow needs — a call redone under another guise would be one more — and the answer
 * to every request any child sent, so the calls cut by a kill were redone and recorded.
 *
 * Reproduce a failure with WARROOM_CRASH_SEED=<seed printed in the test name>: the same kill points (the
 * k-th request or event, then a delay) in the same order; where in the work a delay lands still depends
 * on the machine's load. About a minute on a quiet 2-core machine, a few minutes on a busy one.
 */
const SEED = Number(process.env.WARROOM_CRASH_SEED ?? 20261202);
const TOTAL_KILLS = 20;
const MAX_KILLS_PER_RUN = 3;
const CHILD_TIMEOUT_MS = 60_000;

/** When to kill a child: once it has sent `after` model requests or written `after` events, plus a delay. */
interface KillPoint {
  trigger: 'request' | 'event';
  after: number;
  delayMs: number;
}

interface SentRequest {
  marker: string;
  runKey: number;
  child: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`crash and resume (seed ${SEED})`, () => {
  let dir: string;
  let profileDir: string;
  let databaseFile: string;
  let cliBundle: string;
  let server: FakeAnthropicServer;
  const live = new Set<ChildProcess>();
  const random = seededRandom(SEED);
  const sent: SentRequest[] = [];
  let current: { runKey: number; child: number } | null = null;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-crash-'));
    profileDir = path.join(dir, 'profile');
    databaseFile = path.join(profileDir, 'warroom.db');
    // The kills are the subject, not the first-use image build: on a fresh machine that build outlasts a
    // child's CHILD_TIMEOUT_MS, so the image is made ready before the first child starts.
    await requireDockerEngine();
    await ensureSandboxImage('node');
    cliBundle = await bundleCli();
    server = await startFakeAnthropicServer((request) => {
      if (current) sent.push({ marker: markerOf(request.body), ...current });
      return crashScript(request);
    });
  }, 600_000);

  afterAll(async () => {
    for (const child of live) child.kill('SIGKILL');
    await server?.close();
    fs.rmSync(cliBundle, { force: true });
    // Containers are the system under test: anything left is removed only after the assertions ran.
    removeContainersOf(profileDir);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `warroom <args>` on the test profile; resolves with its exit code, or 'killed' at the kill point. */
  async function runCli(
    args: string[],
    kill: KillPoint | null,
  ): Promise<{ outcome: number | 'killed'; output: string }> {
    const { child, output } = startCliProcess(args, { entry: [cliBundle], profileDir, modelUrl: server.url });
    live.add(child);
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        live.delete(child);
        resolve();
      }),
    );
    const requestsAtStart = server.requests.length;
    const eventsAtStart = countEvents();
    const deadline = Date.now() + CHILD_TIMEOUT_MS;
    let killed = false;
    while (exitCode === undefined && Date.now() < deadline) {
      const reached =
        kill !== null &&
        (kill.trigger === 'request'
          ? server.requests.length - requestsAtStart >= kill.after
          : countEvents() - eventsAtStart >= kill.after);
      if (reached) {
        await sleep(kill.delayMs);
        if (exitCode === undefined) {
          child.kill('SIGKILL');
          killed = true;
        }
        break;
      }
      await sleep(20);
    }
    if (!killed && exitCode === undefined) child.kill('SIGKILL');
    await exited;
    if (!killed && exitCode === null) throw new Error(`warroom ${args.join(' ')} did not finish:\n${output()}`);
    return { outcome: killed ? 'killed' : (exitCode ?? -1), output: output() };
  }

  function withDatabase<T>(read: (db: Database.Database) => T): T | null {
    if (!fs.existsSync(databaseFile)) return null;
    const db = new Database(databaseFile);
    try {
      return read(db);
    } catch (error) {
      // Before the first child has created the schema there is nothing to read yet.
      if (/no such table/.test(String(error))) return null;
      throw error;
    } finally {
      db.close();
    }
  }

  function countEvents(): number {
    return withDatabase((db) => (db.prepare('SELECT COUNT(*) AS n FROM run_events').get() as { n: number }).n) ?? 0;
  }

  function runIds(): string[] {
    return (
      withDatabase((db) => (db.prepare('SELECT id FROM runs').all() as Array<{ id: string }>).map((row) => row.id)) ??
      []
    );
  }

  function statusOf(runId: string): string | null {
    return withDatabase(
      (db) =>
        (db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string } | undefined)?.status ??
        null,
    );
  }

  /** The markers of every model answer journaled so far, by run. */
  function journaledMarkers(): Map<string, Set<string>> {
    const byRun = new Map<string, Set<string>>();
    const rows =
      withDatabase(
        (db) =>
          db.prepare("SELECT run_id, value FROM run_journal WHERE kind = 'llm'").all() as Array<{
            run_id: string;
            value: string;
          }>,
      ) ?? [];
    for (const row of rows) {
      const markers = byRun.get(row.run_id) ?? new Set<string>();
      for (const marker of markersIn(row.value)) markers.add(marker);
      byRun.set(row.run_id, markers);
    }
    return byRun;
  }

  function pickKillPoint(kind: CrashWorkflowKind): KillPoint {
    const workflow = CRASH_WORKFLOWS[kind];
    const trigger = workflow.modelCalls > 0 && random() < 0.5 ? 'request' : 'event';
    const span = trigger === 'request' ? workflow.modelCalls : 6 + workflow.sandboxSteps * 3;
    return { trigger, after: 1 + Math.floor(random() * span), delayMs: Math.floor(random() * 300) };
  }

  it('every run completes after 20 kills, no journaled model call is sent again, the database is intact and no container is left', async () => {
    const kinds: CrashWorkflowKind[] = ['team', 'sandbox', 'synthesis'];
    const runs: Array<{ kind: CrashWorkflowKind; runId: string; kills: number; runKey: number }> = [];
    let kills = 0;
    let child = 0;
    for (let runKey = 0; kills < TOTAL_KILLS; runKey++) {
      expect(runKey, 'runs needed to reach the kills').toBeLessThan(24);
      const kind = kinds[runKey % kinds.length] ?? 'team';
      const workflow = CRASH_WORKFLOWS[kind];
      const projectDir = path.join(dir, 'projects', kind);
      const workflowFile = path.join(dir, `${kind}.json`);
      fs.mkdirSync(projectDir, { recursive: true });
      fs.writeFileSync(workflowFile, JSON.stringify(workflow.workflow));
      let runId: string | null = null;
      let runKills = 0;
      for (;;) {
        const kill = runKills < MAX_KILLS_PER_RUN && kills < TOTAL_KILLS ? pickKillPoint(kind) : null;
        const knownRuns = new Set(runIds());
        const journaledBefore = journaledMarkers();
        current = { runKey, child: ++child };
        const args =
          runId === null
            ? ['run', workflowFile, '--project', projectDir, '--input', `task=${workflow.task}`, '--json']
            : ['runs', 'resume', runId, '--json'];
        const { outcome, output } = await runCli(args, kill);
        current = null;
        runId ??= runIds().find((id) => !knownRuns.has(id)) ?? null;
        // (1) What was journaled before this child started, it did not ask for again.
        const askedAgain = sent.filter(
          (request) => request.child === child && runId !== null && journaledBefore.get(runId)?.has(request.marker),
        );
        expect(askedAgain, `child ${child} re-sent journaled calls`).toEqual([]);
        if (outcome === 'killed') {
          kills++;
          runKills++;
          // Killed after the run completed (and before the process exited): nothing left to resume.
          if (runId !== null && statusOf(runId) === 'completed') break;
          continue;
        }
        expect(outcome, output).toBe(0);
        break;
      }
      expect(runId).not.toBeNull();
      runs.push({ kind, runId: runId ?? '', kills: runKills, runKey });
    }

    // A War Room started after the last kill sweeps what killed hosts left behind.
    expect((await runCli(['runs', 'list'], null)).outcome).toBe(0);
    await waitForNoContainers(profileDir);

    const db = new Database(databaseFile);
    try {
      expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      const store = new SqliteRunStore(db);
      const journaled = journaledMarkers();
      for (const run of runs) {
        const workflow = CRASH_WORKFLOWS[run.kind];
        const record = store.getRunSummary(run.runId);
        const label = `${run.kind} run ${run.runId} (killed ${run.kills}×)`;
        expect(record?.status, label).toBe('completed');
        expect(workflow.expectResult(record?.outputs.result), `${label}: ${JSON.stringify(record?.outputs)}`).toBe(
          true,
        );
        // (2) Exactly the calls the workflow needs are journaled, and every request sent is answered there.
        const llmEntries = db
          .prepare("SELECT COUNT(*) AS n FROM run_journal WHERE run_id = ? AND kind = 'llm'")
          .get(run.runId) as { n: number };
        expect(llmEntries.n, label).toBe(workflow.modelCalls);
        const unanswered = sent
          .filter((request) => request.runKey === run.runKey)
          .filter((request) => !journaled.get(run.runId)?.has(request.marker));
        expect(unanswered, label).toEqual([]);
        // A kill interrupts at most the one step in flight of a chain: the rest ran once.
        const executions = db
          .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE run_id = ? AND kind = 'sandbox.exec'")
          .get(run.runId) as { n: number };
        expect(executions.n, label).toBeGreaterThanOrEqual(workflow.sandboxSteps);
        expect(executions.n, label).toBeLessThanOrEqual(workflow.sandboxSteps + run.kills);
        if (run.kind === 'team') {
          const flatten = (tasks: TeamTask[]): TeamTask[] => tasks.flatMap((task) => [task, ...flatten(task.children)]);
          const tree = flatten(foldTaskTree(store.readEvents(run.runId, 0, 100_000)));
          expect(
            tree.map((task) => [task.role, task.status]),
            label,
          ).toEqual([
            ['coordinator', 'completed'],
            ['planner', 'completed'],
            ['coder', 'completed'],
            ['tester', 'completed'],
          ]);
        }
        if (workflow.modelCalls > 0) {
          // Synthesis finished once, however often it was interrupted, and its summary is in memory. (Runs of
          // the same workflow and input summarise to the same text in one namespace: a later run's summary is
          // then skipped as a duplicate of the first one's, so the item may name an earlier run.)
          const synthesized = eventsOfType(store.readEvents(run.runId, 0, 100_000), 'memory.synthesized');
          expect(synthesized, label).toHaveLength(1);
          const summary = synthesized[0]?.data.memories.find((memory) => memory.kind === 'task-summary');
          expect(summary?.outcome === 'stored' || summary?.outcome === 'skipped', label).toBe(true);
          const stored = db.prepare('SELECT run_id FROM memory_items WHERE id = ?').get(summary?.id) as
            { run_id: string } | undefined;
          expect(stored, label).toBeDefined();
          if (summary?.outcome === 'stored') expect(stored?.run_id, label).toBe(run.runId);
        }
      }
      // No summary was stored twice (an interrupted synthesis that stored and then ran again would).
      const duplicates = db
        .prepare(
          "SELECT text, COUNT(*) AS n FROM memory_items WHERE kind = 'task-summary' GROUP BY namespace, text HAVING n > 1",
        )
        .all();
      expect(duplicates).toEqual([]);
    } finally {
      db.close();
    }
    expect(runs.reduce((sum, run) => sum + run.kills, 0)).toBe(TOTAL_KILLS);
  }, 300_000);
});

function containersOf(profileDir: string): string[] {
  const out = execFileSync('docker', ['ps', '-aq', '--filter', `label=${LABEL.profile}=${profileDir}`], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((id) => id !== '');
}

/** The sweep and the last host's own clean-up are asynchronous: allow them a few seconds to finish. */
async function waitForNoContainers(profileDir: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (containersOf(profileDir).length > 0 && Date.now() < deadline) await sleep(250);
  expect(containersOf(profileDir)).toEqual([]);
}

function removeContainersOf(profileDir: string): void {
  const ids = containersOf(profileDir);
  if (ids.length > 0) execFileSync('docker', ['rm', '-f', ...ids]);
}
