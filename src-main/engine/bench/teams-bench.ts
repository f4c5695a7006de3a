import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowSchema, type Workflow } from '@shared/workflow';
import { RunEngine } from '../engine';
import { loadRolePresets, shippedResourcesDir } from '../roles';
import type { LlmProvider, LlmRequest, LlmResponse } from '../../llm/port';
import { openDatabase } from '../../store/database';
import type { RunStore } from '../../store/port';
import { SqliteRunStore } from '../../store/run-repository';
import { MemoryRunStore } from '../testing/memory-run-store';
import { buildWorkflow } from '../testing/workflow-builder';

/**
 * `npm run bench:teams`: a coordinator delegating to 100 sub-agents in one turn, on a real SQLite
 * profile with the shipped role presets. With a model that answers instantly, the run's wall time over
 * the sub-agents is the engine's overhead per sub-agent (target ≤ 100 µs); with a model that takes 20 ms
 * per call, the wall time at concurrency 8 is set against concurrency 1. Medians of a few
 * runs, after an untimed one, as in bench:engine; the CPU time beside the wall time says how much of it
 * was this process's work rather than waiting for a core on a shared machine.
 */
const SUB_AGENTS = 100;
/** Instant runs are cheap: many of them, so the median says more than a neighbour's burst. */
const TIMED_INSTANT_RUNS = 21;
const TIMED_SLOW_RUNS = 5;
const WARM_UP_RUNS = 3;
const SLOW_CALL_MS = 20;
const PARALLEL = 8;
const MEMBER_ROLES = ['planner', 'architect', 'coder', 'reviewer', 'tester'];

const roles = loadRolePresets([path.join(shippedResourcesDir(), 'roles')]);
const coordinatorSystem = roles.get('coordinator')?.system ?? '';

function answer(request: LlmRequest, content: LlmResponse['content']): LlmResponse {
  return {
    content,
    stopReason: content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn',
    usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
    costUsd: 0,
    model: request.model,
  };
}

/** The coordinator's first turn delegates every sub-task at once; every other call answers at once. */
function teamModel(callMs: number): LlmProvider {
  const respond = (request: LlmRequest): LlmResponse => {
    if (!request.system.startsWith(coordinatorSystem)) return answer(request, [{ type: 'text', text: 'done' }]);
    if (request.messages.length > 1) return answer(request, [{ type: 'text', text: 'all delegated work is done' }]);
    return answer(
      request,
      Array.from({ length: SUB_AGENTS }, (_, index) => ({
        type: 'tool_use' as const,
        id: `toolu_${index}`,
        name: 'delegate',
        input: { role: MEMBER_ROLES[index % MEMBER_ROLES.length], task: `sub-task ${index}` },
      })),
    );
  };
  return {
    name: callMs === 0 ? 'instant' : `${callMs} ms`,
    complete: async (request) => {
      if (callMs > 0) await new Promise((resolve) => setTimeout(resolve, callMs));
      return respond(request);
    },
  };
}

function teamWorkflow(): Workflow {
  return WorkflowSchema.parse(
    buildWorkflow(
      [
        ['goal', 'input', { name: 'goal' }],
        [
          'crew',
          'team',
          {
            topology: 'hierarchical',
            prompt: '{{in}}',
            members: MEMBER_ROLES.map((role) => ({ role })),
            maxAgents: SUB_AGENTS + 1,
          },
        ],
        ['result', 'output', { name: 'result' }],
      ],
      ['goal.value -> crew.in', 'crew.out -> result.value'],
      'bench-team',
    ),
  );
}

async function main(): Promise<void> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-teams-bench-'));
  const { db } = openDatabase(path.join(directory, 'warroom.db'));
  const store = new SqliteRunStore(db);
  const engineFor = (llm: LlmProvider, maxConcurrency: number, runStore: RunStore = store) =>
    new RunEngine({
      store: runStore,
      llm: () => llm,
      defaultModel: () => 'bench',
      maxConcurrency: () => maxConcurrency,
      defaultBudget: () => ({}),
      roles,
    });
  const workflow = teamWorkflow();
  const timeRun = async (engine: RunEngine) => {
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const run = await engine.wait(engine.start({ workflow, projectDir: directory, inputs: { goal: 'ship it' } }).id);
    const micros = Number(process.hrtime.bigint() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    if (run.status !== 'completed') throw new Error(`bench run ${run.status}: ${run.error ?? ''}`);
    return { micros, cpuMicros: cpu.user + cpu.system, runId: run.id };
  };
  const medianOf = async (engine: RunEngine, timedRuns: number) => {
    // Untimed runs first warm the JIT; the first proves the shape: every sub-agent ran.
    const first = await timeRun(engine);
    for (let index = 1; index < WARM_UP_RUNS; index++) await timeRun(engine);
    const tasks = engine.eventsSoFar(first.runId).filter((event) => event.type === 'team.task.completed');
    if (tasks.length !== SUB_AGENTS + 1) throw new Error(`expected ${SUB_AGENTS + 1} tasks, got ${tasks.length}`);
    const runs: Array<Awaited<ReturnType<typeof timeRun>>> = [];
    for (let index = 0; index < timedRuns; index++) runs.push(await timeRun(engine));
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    return {
      micros: median(runs.map((run) => run.micros)),
      cpuMicros: median(runs.map((run) => run.cpuMicros)),
      best: Math.min(...runs.map((run) => run.micros)),
      runId: first.runId,
    };
  };
  try {
    const instant = await medianOf(engineFor(teamModel(0), PARALLEL), TIMED_INSTANT_RUNS);
    const withoutSqlite = await medianOf(engineFor(teamModel(0), PARALLEL, new MemoryRunStore()), TIMED_INSTANT_RUNS);
    const events = store.readEvents(instant.runId, 0, 1_000_000).length;
    const sequential = await medianOf(engineFor(teamModel(SLOW_CALL_MS), 1), TIMED_SLOW_RUNS);
    const parallel = await medianOf(engineFor(teamModel(SLOW_CALL_MS), PARALLEL), TIMED_SLOW_RUNS);
    const ms = (micros: number) => `${(micros / 1000).toFixed(0)} ms`;
    const perAgent = (micros: number) => (micros / SUB_AGENTS).toFixed(1);
    const overhead = (result: { micros: number; best: number; cpuMicros: number }) =>
      `${perAgent(result.micros)} µs wall (best ${perAgent(result.best)}), ${perAgent(result.cpuMicros)} µs CPU`;
    // The coordinator's two turns are sequential whatever the limit, and 100 calls fill 13 waves of 8.
    const calls = SUB_AGENTS + 2;
    const waves = 2 + Math.ceil(SUB_AGENTS / PARALLEL);
    const rows = [
      ['engine overhead per sub-agent (instant model)', overhead(instant)],
      ['the same on an in-memory store (no SQLite)', overhead(withoutSqlite)],
      ['events persisted per sub-agent', (events / SUB_AGENTS).toFixed(1)],
      [`wall time, ${SLOW_CALL_MS} ms model, concurrency 1`, ms(sequential.micros)],
      [`wall time, ${SLOW_CALL_MS} ms model, concurrency ${PARALLEL}`, ms(parallel.micros)],
      [
        `concurrency ${PARALLEL} against sequential`,
        `${(sequential.micros / parallel.micros).toFixed(2)}× faster (ideal ${(calls / waves).toFixed(2)}×: ${calls} calls in ${waves} waves)`,
      ],
    ];
    console.log(
      `War Room teams benchmark: a coordinator delegating to ${SUB_AGENTS} sub-agents (target ≤ 100 µs engine overhead per sub-agent; medians of ${TIMED_INSTANT_RUNS} instant and ${TIMED_SLOW_RUNS} slow runs)`,
    );
    for (const [label = '', value = ''] of rows) console.log(`  ${label.padEnd(48)} ${value}`);
  } finally {
    store.close();
    db.close();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

await main();
