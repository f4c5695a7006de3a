import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsOfType, type RunEvent } from '@shared/run-events';
import { foldTaskTree, type TeamTask } from '@shared/team-tasks';
import type { Workflow } from '@shared/workflow';
import { cancelAfter } from '../engine/testing/engine-harness';
import { buildWorkflow, chainWorkflow } from '../engine/testing/workflow-builder';
import { SqliteRunStore } from '../store/run-repository';
import type { RunEngine } from '../engine/engine';
import { openAnthropicWorkspace, type AnthropicWorkspace } from '../testing/anthropic-engine';
import { delegatingScript, roleOfRequest, taskOfRequest, teamWorkflow } from '../testing/fake-team';

/** The engine on the real SDK against the fake Messages API, persisting to a real SQLite file. */
const promptOf = taskOfRequest;

const pipeline = () =>
  chainWorkflow([
    ['plan', 'agent', { prompt: 'Plan: {{in}}', tools: ['write_file'] }],
    ['build', 'agent', { prompt: 'Build: {{in}}' }],
  ]);

describe('engine + Anthropic adapter + SQLite', () => {
  let workspace: AnthropicWorkspace;
  beforeEach(async () => {
    workspace = await openAnthropicWorkspace('warroom-engine-');
  });
  afterEach(() => workspace.close());

  const createEngine = () => workspace.openEngine();

  const startPipeline = (engine: RunEngine, task: string) =>
    engine.start({ workflow: pipeline(), projectDir: workspace.projectDir, inputs: { task } });

  /** Starts the workflow in a separate host process (testing/run-host.ts) that the test can kill -9. */
  const spawnRunHost = (workflow: Workflow, fileName: string, projectDir: string) => {
    const workflowPath = path.join(workspace.dir, fileName);
    fs.writeFileSync(workflowPath, JSON.stringify(workflow));
    const hostScript = fileURLToPath(new URL('../testing/run-host.ts', import.meta.url));
    const host = spawn(
      process.execPath,
      ['--import', 'tsx', hostScript, workspace.databasePath, workspace.server.url, 'start', workflowPath, projectDir],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    host.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    host.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    /** The run id the host printed, once it has. */
    const runId = () => /RUN (\S+)/.exec(output)?.[1];
    const kill = async () => {
      const exited = new Promise((resolve) => host.once('exit', resolve));
      host.kill('SIGKILL');
      await exited;
      return runId() ?? '';
    };
    return { runId, kill };
  };

  it('sends the model calls of 4 branches at once: each answer waits until all 4 requests have arrived', async () => {
    // A barrier instead of a stopwatch: were the branches run one after another, the first request would
    // wait for three that never come, and the run would see the fake's error instead of four answers.
    let arrived = 0;
    let answeredBeforeAllArrived = 0;
    let release = () => {};
    const allArrived = new Promise<void>((resolve) => (release = resolve));
    workspace.server.setScript(async () => {
      if (++arrived === 4) release();
      const waited = await Promise.race([
        allArrived.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
      ]);
      if (!waited) answeredBeforeAllArrived++;
      return waited ? { text: 'branch done' } : { status: 500, message: 'the other branches never asked' };
    });
    const { engine } = createEngine();
    const ids = ['a', 'b', 'c', 'd'];
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ...ids.map((id): [string, string, Record<string, unknown>] => [id, 'agent', { prompt: `${id} {{in}}` }]),
        ['all', 'join', { policy: 'all' }],
        ['result', 'output', { name: 'result' }],
      ],
      [...ids.flatMap((id) => [`task.value -> ${id}.in`, `${id}.out -> all.in`]), 'all.out -> result.value'],
    );
    const run = await engine.wait(engine.start({ workflow, projectDir: workspace.dir, inputs: { task: 't' } }).id);
    expect(run.status).toBe('completed');
    expect(workspace.server.requests).toHaveLength(4);
    expect(answeredBeforeAllArrived).toBe(0);
  }, 60_000);

  it('streams persisted events to subscribers from any seq, live until the run ends', async () => {
    workspace.server.setScript(() => ({ text: 'a fairly long streamed answer', chunkDelayMs: 30 }));
    const { engine } = createEngine();
    const run = startPipeline(engine, 't');
    const live: RunEvent[] = [];
    for await (const event of engine.events(run.id, 0, { follow: true })) live.push(event);
    expect(live.at(-1)?.type).toBe('run.completed');
    expect(live.map((event) => event.seq)).toEqual(live.map((_event, index) => index + 1));
    const deltas = live.filter((event) => event.type === 'llm.delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.length).toBeLessThan(6);
    const fromSeq: RunEvent[] = [];
    for await (const event of engine.events(run.id, 5, { follow: true })) fromSeq.push(event);
    expect(fromSeq).toEqual(live.slice(5));
  });

  it('cancel aborts in-flight model streams within a second', async () => {
    workspace.server.setScript(() => ({ text: 'a slow answer that never ends in time', chunkDelayMs: 2000 }));
    const { engine } = createEngine();
    const run = startPipeline(engine, 't');
    while (workspace.server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const { run: finished, cancelMs } = await cancelAfter(engine, run.id);
    expect(cancelMs).toBeLessThan(1000);
    expect(finished.status).toBe('cancelled');
    expect(workspace.server.requests).toHaveLength(1);
  });

  it('replays with zero requests to the API and identical outputs', async () => {
    workspace.server.setScript((request) => ({ text: `answer to ${promptOf(request)}` }));
    const { engine } = createEngine();
    const original = await engine.wait(startPipeline(engine, 'x').id);
    expect(original.outputs).toEqual({ result: 'answer to Build: answer to Plan: x' });
    const requestsBefore = workspace.server.requests.length;
    const replay = await engine.wait(engine.replay(original.id).id);
    expect(workspace.server.requests.length).toBe(requestsBefore);
    expect(replay.outputs).toEqual(original.outputs);
  });

  it('resumes after kill -9 of the host without repeating completed model calls or tool side effects', async () => {
    const projectDir = workspace.projectDir;
    workspace.server.setScript((request) => {
      const prompt = promptOf(request);
      if (prompt.startsWith('Plan')) {
        const hasToolResult = request.body.messages.length > 1;
        return hasToolResult
          ? { text: 'the plan' }
          : { toolUses: [{ id: 'toolu_plan', name: 'write_file', input: { path: 'plan.md', content: 'step 1' } }] };
      }
      // The build call hangs: the host is killed while it waits.
      return { text: 'built', delayMs: 60_000 };
    });
    const host = spawnRunHost(pipeline(), 'workflow.json', projectDir);
    const deadline = Date.now() + 20_000;
    while (
      !workspace.server.requests.some((request) => promptOf(request).startsWith('Build')) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(workspace.server.requests.map(promptOf)).toEqual([
      'Plan: crash test',
      'Plan: crash test',
      'Build: the plan',
    ]);
    const runId = await host.kill();
    expect(runId).not.toBe('');

    // The tool's side effect happened once; make any repeat visible.
    fs.writeFileSync(path.join(projectDir, 'plan.md'), 'edited after the crash');
    workspace.server.setScript(() => ({ text: 'built' }));
    const { engine } = createEngine();
    expect(engine.get(runId).status).toBe('running');
    engine.resume(runId);
    const finished = await engine.wait(runId);
    expect(finished.status).toBe('completed');
    expect(finished.outputs).toEqual({ result: 'built' });
    expect(workspace.server.requests.map(promptOf)).toEqual([
      'Plan: crash test',
      'Plan: crash test',
      'Build: the plan',
      'Build: the plan',
    ]);
    expect(fs.readFileSync(path.join(projectDir, 'plan.md'), 'utf8')).toBe('edited after the crash');
  });

  it("runs a team's delegations of one turn concurrently and replays the team with zero requests", async () => {
    const roles = ['planner', 'architect', 'coder', 'reviewer'];
    workspace.server.setScript(
      delegatingScript(
        roles.map((role) => [role, `the ${role}'s part`]),
        (_request, role) => ({ text: `${role} done`, delayMs: 500 }),
      ),
    );
    const { engine } = createEngine();
    const started = Date.now();
    const run = await engine.wait(
      engine.start({ workflow: teamWorkflow(roles), projectDir: workspace.dir, inputs: { task: 't' } }).id,
    );
    expect(run.status).toBe('completed');
    // Every member's call reached the model before the first answer came back: all four were in flight.
    const memberCalls = workspace.server.requests.filter((request) => roleOfRequest(request) !== 'coordinator');
    const arrivals = memberCalls.map((request) => request.receivedAt);
    expect(memberCalls).toHaveLength(4);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(500);
    // One after the other, four members at 500 ms each would take 2000 ms.
    expect(Date.now() - started).toBeLessThan(1500);
    const requestsBefore = workspace.server.requests.length;
    const replay = await engine.wait(engine.replay(run.id).id);
    expect(replay.status).toBe('completed');
    expect(workspace.server.requests).toHaveLength(requestsBefore);
    const tree = (runId: string) =>
      foldTaskTree(engine.eventsSoFar(runId)).map((task) => [
        task.role,
        task.result,
        task.children.map((child) => [child.role, child.task, child.result]),
      ]);
    expect(tree(replay.id)).toEqual(tree(run.id));
  });

  it('resumes a team after kill -9 mid-delegation without sending a completed sub-agent call twice', async () => {
    const projectDir = workspace.projectDir;
    const delegations: Array<[string, string]> = [
      ['planner', 'plan the cart'],
      ['coder', 'write the cart'],
      ['tester', 'test the cart'],
    ];
    // The planner and the coder finish; the tester's call hangs: the host is killed while it waits.
    workspace.server.setScript(
      delegatingScript(delegations, (_request, role) =>
        role === 'tester' ? { text: 'tested', delayMs: 60_000 } : { text: `${role} done` },
      ),
    );
    const host = spawnRunHost(teamWorkflow(['planner', 'coder', 'tester']), 'team.json', projectDir);
    // Kill once the planner's and the coder's answers are in the database (their journal entries are
    // written in the same transaction as their events) and the tester's call is in flight.
    const reader = workspace.openDatabase();
    const completedTasks = () => {
      const runId = host.runId();
      if (!runId) return [];
      return eventsOfType(new SqliteRunStore(reader).readEvents(runId, 0, 100_000), 'team.task.completed');
    };
    const deadline = Date.now() + 20_000;
    while (
      (completedTasks().length < 2 ||
        !workspace.server.requests.some((request) => roleOfRequest(request) === 'tester')) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(
      completedTasks()
        .map((event) => event.data.taskId)
        .sort(),
    ).toEqual(['1.1', '1.2']);
    const runId = await host.kill();
    const sentBeforeKill = workspace.server.requests.length;
    expect(workspace.server.requests.map(roleOfRequest).sort()).toEqual(['coder', 'coordinator', 'planner', 'tester']);

    workspace.server.setScript(delegatingScript(delegations, (_request, role) => ({ text: `${role} done` })));
    const { engine } = createEngine();
    engine.resume(runId);
    const finished = await engine.wait(runId);
    expect(finished.status).toBe('completed');
    const sentTimes = new Map<string, number>();
    for (const request of workspace.server.requests) {
      const body = JSON.stringify(request.body);
      sentTimes.set(body, (sentTimes.get(body) ?? 0) + 1);
    }
    const repeated = workspace.server.requests.filter(
      (request) => (sentTimes.get(JSON.stringify(request.body)) ?? 0) > 1,
    );
    // Only the call in flight at the kill is sent again; the coordinator's last turn is the one new call.
    expect(repeated.map(roleOfRequest)).toEqual(['tester', 'tester']);
    expect(workspace.server.requests.slice(sentBeforeKill).map(roleOfRequest).sort()).toEqual([
      'coordinator',
      'tester',
    ]);
    const tree = foldTaskTree(engine.eventsSoFar(runId));
    const flatten = (tasks: TeamTask[]): TeamTask[] => tasks.flatMap((task) => [task, ...flatten(task.children)]);
    expect(flatten(tree).map((task) => [task.taskId, task.role, task.status])).toEqual([
      ['1', 'coordinator', 'completed'],
      ['1.1', 'planner', 'completed'],
      ['1.2', 'coder', 'completed'],
      ['1.3', 'tester', 'completed'],
    ]);
  });
});
