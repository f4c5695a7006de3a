import { z } from 'zod';
import type { MemoryKind, MemoryProvenance, MemoryStore, MemoryStoreResult } from '../../memory/port';
import { jsonObjectIn } from '../model-json';

/**
 * The little the memory layer needs from a language model: one prompt in, text out. The engine adapts
 * its LlmProvider to this; tests pass a fake with canned answers.
 */
export interface MemoryModel {
  complete(request: { system: string; prompt: string; maxTokens: number; signal?: AbortSignal }): Promise<string>;
}

/** What synthesis is told about a finished run. */
export interface RunSummaryRequest {
  runId: string;
  namespace: string;
  /** What the run was asked to do. */
  goal: string;
  outcome: 'succeeded' | 'failed' | 'cancelled';
  /** The run's transcript (or a digest of it) the model summarises. */
  transcript: string;
  /** Where the memories come from; the run by default (a team's synthesis names the team node too). */
  provenance?: MemoryProvenance;
  /** Added to every stored memory's metadata (a team's task tree). */
  metadata?: Record<string, unknown>;
}

const SynthesisSchema = z.object({
  summary: z.string().trim().min(1),
  errorResolutions: z
    .array(z.object({ error: z.string().trim().min(1), resolution: z.string().trim().min(1) }))
    .default([]),
  decisions: z.array(z.string().trim().min(1)).default([]),
});

export class MemorySynthesisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MemorySynthesisError';
  }
}

const SYNTHESIS_SYSTEM = [
  'You maintain the long-term memory of a software project.',
  'Read the run below and answer with one JSON object and nothing else:',
  '{"summary": "what was done and the result, in 1-3 sentences",',
  ' "errorResolutions": [{"error": "the error as seen", "resolution": "what fixed it"}],',
  ' "decisions": ["a design decision worth remembering"]}',
  'Only include errors that were actually resolved, and decisions that future work must respect.',
].join('\n');

/**
 * After a run: asks the model for a task summary, error → resolution pairs and decisions, and stores
 * each as a memory item with the run as provenance (near-duplicates merge into what is already known).
 */
export async function synthesizeRun(
  store: MemoryStore,
  model: MemoryModel,
  run: RunSummaryRequest,
  options: { maxTranscriptChars?: number; signal?: AbortSignal } = {},
): Promise<MemoryStoreResult[]> {
  const maxChars = options.maxTranscriptChars ?? 24_000;
  const transcript =
    run.transcript.length <= maxChars
      ? run.transcript
      : `${run.transcript.slice(0, maxChars / 2)}\n…\n${run.transcript.slice(-maxChars / 2)}`;
  const answer = await model.complete({
    system: SYNTHESIS_SYSTEM,
    prompt: `Goal: ${run.goal}\nOutcome: ${run.outcome}\n\nTranscript:\n${transcript}`,
    maxTokens: 1024,
    signal: options.signal,
  });
  const synthesis = parseSynthesis(answer);
  const provenance = run.provenance ?? { runId: run.runId };
  const entries: Array<{ kind: MemoryKind; text: string; metadata: Record<string, unknown> }> = [
    { kind: 'task-summary', text: synthesis.summary, metadata: { goal: run.goal, outcome: run.outcome } },
    ...synthesis.errorResolutions.map((pair) => ({
      kind: 'error-resolution' as const,
      text: `Error: ${pair.error}\nResolution: ${pair.resolution}`,
      metadata: { error: pair.error, resolution: pair.resolution },
    })),
    ...synthesis.decisions.map((decision) => ({ kind: 'decision' as const, text: decision, metadata: {} })),
  ];
  const results: MemoryStoreResult[] = [];
  for (const entry of entries) {
    const metadata = { ...entry.metadata, ...run.metadata };
    results.push(await store.store({ namespace: run.namespace, provenance, ...entry, metadata }));
  }
  return results;
}

function parseSynthesis(answer: string): z.infer<typeof SynthesisSchema> {
  const json = jsonObjectIn(answer);
  if (!json.ok) {
    throw new MemorySynthesisError(
      json.problem === 'none' ? 'The model did not answer with a JSON object' : 'The model answered with invalid JSON',
    );
  }
  const result = SynthesisSchema.safeParse(json.value);
  if (!result.success)
    throw new MemorySynthesisError(`The model's answer is incomplete: ${result.error.issues[0]?.message ?? ''}`);
  return result.data;
}
