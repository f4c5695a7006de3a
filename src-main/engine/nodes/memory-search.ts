import { defaultNamespace, GLOBAL_NAMESPACE } from '../../memory/port';
import { toText } from '../expression';
import type { NodeImplementation } from '../node-kind';
import { descriptorOf } from './descriptor';

export const memorySearchNode: NodeImplementation = {
  descriptor: descriptorOf('memory-search'),
  run: async (context, inputs) => {
    const memory = context.memory;
    if (!memory) throw new Error('memory unavailable: this War Room has no memory store configured');
    const { namespace, limit } = context.config as { namespace?: string; limit: number };
    const query = toText(inputs.values.query);
    const namespaces = namespace ? [namespace] : [defaultNamespace(context.projectDir), GLOBAL_NAMESPACE];
    const hits = await context.journaled('tool', { memorySearch: query, namespaces, limit }, () =>
      memory.search(query, { namespaces, limit }),
    );
    return { hits: hits.map((hit) => ({ text: hit.item.text, score: hit.score, id: hit.item.id })) };
  },
};
