import { estimateTokens } from '@shared/tokens';
import type { MemorySearchHit, MemoryStore } from '../../memory/port';
import type { InjectedMemory } from '@shared/run-events';

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
