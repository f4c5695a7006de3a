import path from 'node:path';
import { z } from 'zod';
import type { MemoryKind, MemorySearchHit, MemoryStore, MemoryStoreResult } from './port';
import { estimateTokens } from './text';

/**
 * The little the memory layer needs from a language model: one prompt in, text out. The engine adapts
 * its LlmProvider to this; tests pass a fake with canned answers.
 */
export interface MemoryModel {
  complete(request: { system: string; prompt: string; maxTokens: number; signal?: AbortSignal }): Promise<string>;
}

/**
 * A project's namespace: its directory's name. Ingestion files a project under it (unless told
 * otherwise) and the engine injects and synthesizes memories there, so both meet in one place.
 */
export function defaultNamespace(directory: string): string {
  return path.basename(path.resolve(directory)) || 'project';
}

export interface RunRecord {
  runId: string;
  namespace: string;
  /** What the run was asked to do. */
  goal: string;
  outcome: 'succeeded' | 'failed' | 'cancelled';
  /** The run's transcript (or a digest of it) the model summarises. */
  transcript: string;
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
  run: RunRecord,
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
  const provenance = { runId: run.runId };
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
  for (const entry of entries) results.push(await store.store({ namespace: run.namespace, provenance, ...entry }));
  return results;
}

function parseSynthesis(answer: string): z.infer<typeof SynthesisSchema> {
  // Models sometimes wrap JSON in prose or a code fence: take the outermost object.
  const start = answer.indexOf('{');
  const end = answer.lastIndexOf('}');
  if (start < 0 || end <= start) throw new MemorySynthesisError('The model did not answer with a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(answer.slice(start, end + 1));
  } catch {
    throw new MemorySynthesisError('The model answered with invalid JSON');
  }
  const result = SynthesisSchema.safeParse(value);
  if (!result.success)
    throw new MemorySynthesisError(`The model's answer is incomplete: ${result.error.issues[0]?.message ?? ''}`);
  return result.data;
}

export interface InjectedMemory {
  id: string;
  kind: MemoryKind;
  score: number;
  tokens: number;
  reasons: string[];
}

export interface MemoryContext {
  /** Text to add to the agent's prompt; empty when nothing relevant fits. */
  text: string;
  /** What was injected, for the run's events. */
  injected: InjectedMemory[];
  tokens: number;
}

/**
 * Before an agent works: the most relevant memories for its task, best first, as many as fit in the
 * token budget (an item that does not fit is passed over for a smaller, lower-ranked one).
 */
export async function buildMemoryContext(
  store: MemoryStore,
  request: { query: string; namespaces: string[]; tokenBudget: number; limit?: number; minScore?: number },
): Promise<MemoryContext> {
  const hits = await store.search(request.query, { namespaces: request.namespaces, limit: request.limit ?? 20 });
  const header = '## Project memory\nWhat earlier runs learned about this project (most relevant first):\n';
  let tokens = estimateTokens(header);
  const blocks: string[] = [];
  const injected: InjectedMemory[] = [];
  for (const hit of hits) {
    if (request.minScore !== undefined && hit.score < request.minScore) continue;
    const block = formatHit(hit, injected.length + 1);
    const cost = estimateTokens(block);
    if (tokens + cost > request.tokenBudget) continue;
    tokens += cost;
    blocks.push(block);
    injected.push({ id: hit.item.id, kind: hit.item.kind, score: hit.score, tokens: cost, reasons: hit.reasons });
  }
  if (injected.length === 0) return { text: '', injected: [], tokens: 0 };
  store.markUsed?.(injected.map((entry) => entry.id));
  return { text: header + blocks.join(''), injected, tokens };
}

function formatHit(hit: MemorySearchHit, index: number): string {
  const { provenance } = hit.item;
  const source = provenance.file
    ? ` ${provenance.file}${hit.lines ? `:${hit.lines.start}-${hit.lines.end}` : ''}`
    : provenance.runId
      ? ` run ${provenance.runId}`
      : '';
  return `\n[${index}] (${hit.item.kind}${source})\n${hit.excerpt}\n`;
}
