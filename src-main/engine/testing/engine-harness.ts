import type { Run } from '@shared/runs';
import type { RunEvent } from '@shared/run-events';
import type { Workflow } from '@shared/workflow';
import type { LlmProvider } from '../../llm/port';
import type { MemoryStore } from '../../memory/port';
import type { SandboxRunner } from '../../sandbox/port';
import type { RunStore } from '../../store/port';
import { RunEngine } from '../engine';
import type { RolePreset } from '../node-kind';
import { MemoryRunStore } from './memory-run-store';
import { ScriptedLlm } from './scripted-llm';

export interface HarnessOptions {
  llm?: LlmProvider;
  store?: RunStore;
  maxConcurrency?: number;
  sandbox?: SandboxRunner | null;
  memory?: MemoryStore | null;
  synthesizeAfterRuns?: boolean;
  roles?: Map<string, RolePreset>;
  workflows?: Record<string, Workflow>;
  budget?: { maxUsd?: number; maxTokens?: number };
}

export function createHarness(options: HarnessOptions = {}) {
  const store = options.store ?? new MemoryRunStore();
  const llm = options.llm ?? new ScriptedLlm();
  let counter = 0;
  const engine = new RunEngine({
    store,
    llm: () => llm,
    defaultModel: () => 'claude-test',
    maxConcurrency: () => options.maxConcurrency ?? 4,
    defaultBudget: () => options.budget ?? {},
    sandbox: options.sandbox ?? null,
    memory: options.memory ?? null,
    synthesizeAfterRuns: () => options.synthesizeAfterRuns ?? true,
    roles: options.roles ?? new Map(),
    loadWorkflow: (id) => {
      const workflow = options.workflows?.[id];
      if (!workflow) throw new Error(`no workflow ${id}`);
      return workflow;
    },
    newId: () => `run${++counter}`,
  });
  const events = (runId: string): RunEvent[] => store.readEvents(runId, 0, 1_000_000);
  const runToEnd = async (
    workflow: Workflow,
    inputs: Record<string, unknown> = {},
    projectDir = '/tmp',
  ): Promise<Run> => engine.wait(engine.start({ workflow, inputs, projectDir }).id);
  return { engine, store, llm, events, runToEnd };
}

export function eventTypes(events: RunEvent[], nodeId?: string): string[] {
  return events.filter((event) => nodeId === undefined || event.nodeId === nodeId).map((event) => event.type);
}

/** Cancels a run after it has been going for `afterMs`; returns it settled and how long cancelling took. */
export async function cancelAfter(
  engine: RunEngine,
  runId: string,
  afterMs = 100,
): Promise<{ run: Run; cancelMs: number }> {
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  const started = Date.now();
  engine.cancel(runId);
  const run = await engine.wait(runId);
  return { run, cancelMs: Date.now() - started };
}
