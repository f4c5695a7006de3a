import { projectNamespace, searchedNamespaces } from '@shared/memory-namespaces';
import type { InjectedMemory } from '@shared/run-events';
import type { TeamMemoryProvenance } from '@shared/team-tasks';
import type { LlmProvider, LlmRequest, LlmUsage } from '../../llm/port';
import type { MemoryKind, MemoryStore, MemoryStoreResult } from '../../memory/port';
import type { RunRecord, RunStore } from '../../store/port';
import { describeError } from '../errors';
import type { RunEventLog } from '../event-log';
import type { RunJournal } from '../journal';
import { digestRun } from '../run-digest';
import type { RunSpending } from '../run-spending';
import { buildMemoryContext } from './recall';
import { synthesizeRun, type MemoryModel, type RunSummaryRequest } from './synthesis';
import { teamLearnings, teamTranscript } from './team-learning';

const NO_LLM_USAGE: LlmUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

/** What a journaled memory look-up gave an agent: the prompt text and the items in it, or why it failed. */
type RecalledMemories = { text: string; tokens: number; injected: InjectedMemory[] } | { error: string };

/** What a journaled synthesis stored (or why it failed), with the model usage it cost. */
type SynthesisResult = (
  { stored: Array<{ id: string; kind: MemoryKind; outcome: MemoryStoreResult['outcome'] }> } | { error: string }
) & { usage: LlmUsage; costUsd: number; model: string | null };

export interface RunMemoryDeps {
  memory: MemoryStore;
  record: RunRecord;
  store: RunStore;
  log: RunEventLog;
  journal: RunJournal;
  spending: RunSpending;
  llm: LlmProvider;
  defaultModel: string;
  synthesizeAfterRuns: boolean;
}

/**
 * Project memory in a run: recall before an agent works, synthesis after the run. Both are journaled
 * (resume and replay repeat nothing) and neither ever fails the run: a failure becomes an event.
 */
export class RunMemory {
  constructor(private readonly deps: RunMemoryDeps) {}

  /** The memories relevant to `query` as prompt text within `tokenBudget` tokens ('' when none). */
  async recall(nodeId: string, scope: string, query: string, tokenBudget: number): Promise<string> {
    const { memory, record, journal, log } = this.deps;
    const namespaces = searchedNamespaces(record.projectDir);
    const recalled = await journal.answer<RecalledMemories | null>(
      scope,
      'memory',
      { recall: query, namespaces, tokenBudget },
      async () => {
        try {
          const { text, tokens, injected } = await buildMemoryContext(memory, { query, namespaces, tokenBudget });
          return { text, tokens, injected };
        } catch (error) {
          // The agent can work without memories; the failure is journaled so a resume agrees with this pass.
          return { error: describeError(error) };
        }
      },
      () => null,
    );
    if (recalled === null) return '';
    if ('error' in recalled) {
      log.append('memory.failed', nodeId, { scope, step: 'injection', error: recalled.error });
      return '';
    }
    log.append('memory.injected', nodeId, {
      scope,
      namespaces,
      tokenBudget,
      tokens: recalled.tokens,
      memories: recalled.injected,
    });
    return recalled.text;
  }

  /**
   * After a completed run, or a failed one in which some error was got past: asks the model for a task
   * summary, error → resolution pairs and decisions, and stores them in the project's memory; then, for
   * each team whose members stored findings in team memory, does the same for what the team learned, with
   * its task tree as provenance.
   */
  async synthesize(outcome: 'completed' | 'failed', signal: AbortSignal): Promise<void> {
    const { record, store, log } = this.deps;
    // A replay follows its journal whatever the setting is now.
    if (record.mode !== 'replay' && !this.deps.synthesizeAfterRuns) return;
    try {
      log.flush();
      const events = store.readEvents(record.id, 0, Number.MAX_SAFE_INTEGER);
      const digest = digestRun(events);
      if (!digest.usedModel || (outcome === 'failed' && !digest.recovered)) return;
      const namespace = projectNamespace(record.projectDir);
      const inputs = JSON.stringify(record.inputs);
      const summarised = {
        namespace,
        goal: inputs === '{}' ? record.workflowName : `${record.workflowName}: ${inputs.slice(0, 2000)}`,
        outcome: outcome === 'completed' ? ('succeeded' as const) : ('failed' as const),
        transcript: digest.transcript,
      };
      const run = { runId: record.id, ...summarised };
      // Keyed by what is summarised, not by run id: a replay finds its source's entry, a fork (other
      // results) does not.
      await this.synthesizeOnce({ synthesize: summarised }, run, null, null, 'memory synthesis', signal);
      for (const learning of teamLearnings(events)) {
        const team: TeamMemoryProvenance = {
          nodeId: learning.teamNodeId,
          scope: learning.teamScope,
          tasks: learning.tasks,
        };
        const request: RunSummaryRequest = {
          ...run,
          goal: `${run.goal} — what team ${learning.teamNodeId} learned`,
          transcript: teamTranscript(learning),
          provenance: { runId: record.id, nodeId: learning.teamNodeId },
          metadata: { team },
        };
        await this.synthesizeOnce(
          { synthesizeTeam: { namespace, goal: request.goal, transcript: request.transcript, team } },
          request,
          learning.teamNodeId,
          learning.teamScope,
          'team memory synthesis',
          signal,
        );
      }
    } catch (error) {
      log.append('memory.failed', null, { step: 'synthesis', error: describeError(error) });
    }
  }

  /** One journaled synthesis and its events: usage, then what was stored or why nothing was. */
  private async synthesizeOnce(
    key: unknown,
    request: RunSummaryRequest,
    nodeId: string | null,
    scope: string | null,
    purpose: string,
    signal: AbortSignal,
  ): Promise<void> {
    const { log, journal } = this.deps;
    // A synthesis answered from the journal (a replay) cost nothing again: its usage says so.
    let sent = false;
    const result = await journal.answer<SynthesisResult | null>(
      '',
      'memory',
      key,
      () => {
        sent = true;
        return this.performSynthesis(request, signal);
      },
      () => null,
    );
    if (result === null) return;
    this.deps.spending.count(result.usage, result.costUsd);
    // Spent after the run, not by the node: usage names its purpose instead of a node.
    if (result.model !== null) {
      log.append('llm.usage', null, {
        purpose,
        ...result.usage,
        costUsd: result.costUsd,
        model: result.model,
        ...(sent ? {} : { reused: true as const }),
      });
    }
    const where = scope === null ? {} : { scope };
    if ('error' in result) log.append('memory.failed', nodeId, { ...where, step: 'synthesis', error: result.error });
    else log.append('memory.synthesized', nodeId, { ...where, namespace: request.namespace, memories: result.stored });
  }

  private async performSynthesis(run: RunSummaryRequest, signal: AbortSignal): Promise<SynthesisResult> {
    const { memory, journal, llm, defaultModel } = this.deps;
    let usage = NO_LLM_USAGE;
    let costUsd = 0;
    let model: string | null = null;
    const memoryModel: MemoryModel = {
      complete: async (asked) => {
        const request: LlmRequest = {
          model: defaultModel,
          system: asked.system,
          messages: [{ role: 'user', content: [{ type: 'text', text: asked.prompt }] }],
          tools: [],
          maxTokens: asked.maxTokens,
        };
        // Journaled on its own too: a crash while storing does not repeat the model call on resume.
        const response = await journal.answer('', 'llm', request, () => llm.complete(request, { signal }));
        usage = response.usage;
        costUsd = response.costUsd;
        model = response.model;
        return response.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      },
    };
    try {
      const stored = await synthesizeRun(memory, memoryModel, run, { signal });
      return {
        stored: stored.map((result) => ({ id: result.item.id, kind: result.item.kind, outcome: result.outcome })),
        usage,
        costUsd,
        model,
      };
    } catch (error) {
      return { error: describeError(error), usage, costUsd, model };
    }
  }
}
