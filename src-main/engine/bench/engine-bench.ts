import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowSchema, type Workflow } from '@shared/workflow';
import { RunEngine } from '../engine';
import { buildWorkflow } from '../testing/workflow-builder';
import type { LlmProvider } from '../../llm/port';
import { defaultModelFor } from '../../llm/provider-factory';
import { SettingsService } from '../../services/settings-service';
import { openDatabase } from '../../store/database';
import { SqliteRunStore } from '../../store/run-repository';
import { credentialEnvironmentSecrets } from '../../privacy/known-secrets';
import { SecretRedactor } from '../../privacy/redactor';
import { SettingsRepository } from '../../store/settings-repository';

/**
 * `npm run bench:engine`: the engine's own overhead, with a model that answers instantly, on a real
 * SQLite profile (events and journal persisted, settings read, as in the app). Targets: at most 40 µs per
 * node step, and a live follower served at 100,000 events/s or more. Each shape runs several times and the median is reported: on a shared machine one run
 * says more about the neighbours than about the engine.
 */
const TIMED_RUNS = 5;
const WARM_UP_ROUNDS = 4;

const instantModel: LlmProvider = {
  name: 'instant',
  complete: (request) =>
    Promise.resolve({
      content: [{ type: 'text', text: `ok ${request.messages.length}` }],
      stopReason: 'end_turn',
      usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
      costUsd: 0,
      model: request.model,
    }),
};

type NodeSpec = [id: string, kind: string, config: Record<string, unknown>];

/** The bench's shapes, checked by the schema as a saved workflow would be. */
function workflowOf(id: string, nodes: NodeSpec[], edges: Array<[string, string]>): Workflow {
  return WorkflowSchema.parse(
    buildWorkflow(
      nodes,
      edges.map(([source, target]) => `${source} -> ${target}`),
      id,
    ),
  );
}

function chain(length: number): Workflow {
  const nodes: NodeSpec[] = [['start', 'input', { name: 'task' }]];
  const edges: Array<[string, string]> = [];
  let previous = 'start.value';
  for (let index = 0; index < length - 2; index++) {
    nodes.push([`agent${index}`, 'agent', { prompt: '{{in}}' }]);
    edges.push([previous, `agent${index}.in`]);
    previous = `agent${index}.out`;
  }
  nodes.push(['result', 'output', { name: 'result' }]);
  edges.push([previous, 'result.value']);
  return workflowOf('bench-chain', nodes, edges);
}

/** A chain that ends at an approval: the run stays live, waiting, with its events in the live tail. */
function chainToApproval(length: number): Workflow {
  const base = chain(length);
  const result = base.nodes.find((node) => node.id === 'result');
  const into = base.edges.find((edge) => edge.target.node === 'result');
  if (!result || !into) throw new Error('chain without a result node');
  return workflowOf(
    'bench-live',
    [...base.nodes.map((node): NodeSpec => [node.id, node.kind, node.config]), ['gate', 'approval', {}]],
    [
      ...base.edges
        .filter((edge) => edge !== into)
        .map((edge): [string, string] => [
          `${edge.source.node}.${edge.source.port}`,
          `${edge.target.node}.${edge.target.port}`,
        ]),
      [`${into.source.node}.${into.source.port}`, 'gate.in'],
      ['gate.approved', 'result.value'],
    ],
  );
}

function fanOut(width: number): Workflow {
  const nodes: NodeSpec[] = [['start', 'input', { name: 'task' }]];
  const edges: Array<[string, string]> = [];
  for (let index = 0; index < width; index++) {
    nodes.push([`branch${index}`, 'agent', { prompt: `${index}: {{in}}` }]);
    edges.push(['start.value', `branch${index}.in`], [`branch${index}.out`, 'all.in']);
  }
  nodes.push(['all', 'join', { policy: 'all' }], ['result', 'output', { name: 'result' }]);
  edges.push(['all.out', 'result.value']);
  return workflowOf('bench-fan-out', nodes, edges);
}

async function main(): Promise<void> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-'));
  const { db } = openDatabase(path.join(directory, 'warroom.db'));
  const store = new SqliteRunStore(db);
  const settings = new SettingsService(new SettingsRepository(db, () => new Date()), () => new Date());
  settings.update({ engine: { maxConcurrency: 8 }, llm: { model: 'instant' } });
  // Wired as src-main/app.ts wires it: these read the settings when the engine asks.
  const engine = new RunEngine({
    store,
    llm: () => instantModel,
    defaultModel: () => defaultModelFor(settings.get().llm),
    maxConcurrency: () => settings.get().engine.maxConcurrency,
    defaultBudget: () => ({}),
    // As the app has it: a held key (the API key the app always has) and the environment's credentials.
    redactor: new SecretRedactor({
      knownSecrets: () => [
        { value: 'sk-ant-api03-bench-held-key-value', label: 'secret:anthropicApiKey' },
        ...credentialEnvironmentSecrets(process.env),
      ],
    }),
    redactToModel: () => true,
  });
  const timeRun = async (workflow: Workflow) => {
    const started = process.hrtime.bigint();
    const run = await engine.wait(engine.start({ workflow, projectDir: directory, inputs: { task: 'go' } }).id);
    const micros = Number(process.hrtime.bigint() - started) / 1000;
    if (run.status !== 'completed') throw new Error(`bench run ${run.status}: ${run.error ?? ''}`);
    return { micros, runId: run.id };
  };
  try {
    // Untimed rounds of each shape first, so the figures are steady-state rather than JIT warm-up: the
    // engine's many small functions take a few thousand steps to be optimised.
    for (let round = 0; round < WARM_UP_ROUNDS; round++) {
      await timeRun(chain(1000));
      await timeRun(fanOut(100));
    }
    const timeRuns = async (workflow: () => Workflow) => {
      const runs: Array<{ micros: number; runId: string }> = [];
      for (let index = 0; index < TIMED_RUNS; index++) runs.push(await timeRun(workflow()));
      return runs.sort((a, b) => a.micros - b.micros);
    };
    const chainRuns = await timeRuns(() => chain(1000));
    const fanRuns = await timeRuns(() => fanOut(100));
    const median = <T>(sorted: T[]): T => sorted[Math.floor(sorted.length / 2)] as T;
    const chainRun = median(chainRuns);
    const perStep = (runs: Array<{ micros: number }>, steps: number) =>
      `${(median(runs).micros / steps).toFixed(1)} µs per node step (best ${((runs[0]?.micros ?? 0) / steps).toFixed(1)})`;
    const chainEvents = store.readEvents(chainRun.runId, 0, 1_000_000).length;

    const streamStarted = process.hrtime.bigint();
    let streamed = 0;
    for await (const event of engine.events(chainRun.runId, 0)) streamed += event.seq > 0 ? 1 : 0;
    const streamSeconds = Number(process.hrtime.bigint() - streamStarted) / 1e9;

    // A live follower catching up on a run that is still executing here (waiting at an approval): the
    // events come from the run's in-memory tail, not the database.
    const liveRates: number[] = [];
    for (let round = 0; round < TIMED_RUNS; round++) {
      const live = engine.start({ workflow: chainToApproval(3000), projectDir: directory, inputs: { task: 'go' } });
      while (engine.get(live.id).status !== 'waiting') await new Promise((resolve) => setTimeout(resolve, 5));
      const started = process.hrtime.bigint();
      let delivered = 0;
      for await (const event of engine.events(live.id, 0)) delivered += event.seq > 0 ? 1 : 0;
      liveRates.push(delivered / (Number(process.hrtime.bigint() - started) / 1e9));
      engine.cancel(live.id);
      await engine.wait(live.id);
    }
    liveRates.sort((a, b) => a - b);

    const appendCount = 50_000;
    const appendRun = await timeRun(chain(3));
    const appendStarted = process.hrtime.bigint();
    for (let index = 0; index < appendCount; index += 100) {
      store.appendEvents(
        appendRun.runId,
        Array.from({ length: 100 }, () => ({ type: 'llm.delta' as const, nodeId: 'agent0', data: { text: 'token' } })),
        new Date().toISOString(),
      );
    }
    const appendSeconds = Number(process.hrtime.bigint() - appendStarted) / 1e9;

    const rows = [
      ['1,000-node chain (agent nodes, instant model)', perStep(chainRuns, 1000)],
      ['100-way fan-out + join', perStep(fanRuns, 102)],
      [
        'events persisted by the chain run',
        `${chainEvents} (${((chainEvents / chainRun.micros) * 1e6).toFixed(0)} events/s)`,
      ],
      ['persisted stream read (runs.events)', `${(streamed / streamSeconds).toFixed(0)} events/s`],
      ['live follower (runs.events from the live tail)', `${median(liveRates).toFixed(0)} events/s`],
      ['event appends, batches of 100', `${(appendCount / appendSeconds).toFixed(0)} events/s`],
    ];
    console.log(
      `War Room engine benchmark (targets: ≤ 40 µs per node step, ≥ 100,000 events/s to a live follower; median of ${TIMED_RUNS} runs)`,
    );
    for (const [label = '', value = ''] of rows) console.log(`  ${label.padEnd(48)} ${value}`);
  } finally {
    store.close();
    db.close();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

await main();
