import { MemorySearchConfigSchema } from '@shared/node-kinds';
import { searchedNamespaces } from '@shared/memory-namespaces';
import { toText } from '../expression';
import { defineNode } from './define-node';

export const memorySearchNode = defineNode('memory-search', MemorySearchConfigSchema, async (context, inputs) => {
  const memory = context.memory;
  if (!memory) throw new Error('memory unavailable: this War Room has no memory store configured');
  const { namespace, limit } = context.config;
  const query = toText(inputs.values.query);
  const namespaces = namespace ? [namespace] : searchedNamespaces(context.projectDir);
  const hits = await context.journaled('tool', { memorySearch: query, namespaces, limit }, () =>
    memory.search(query, { namespaces, limit }),
  );
  return { hits: hits.map((hit) => ({ text: hit.item.text, score: hit.score, id: hit.item.id })) };
});
