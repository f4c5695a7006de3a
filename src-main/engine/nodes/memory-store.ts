import { MemoryStoreConfigSchema } from '@shared/node-kinds';
import { projectNamespace } from '@shared/memory-namespaces';
import { toText } from '../expression';
import { defineNode } from './define-node';

export const memoryStoreNode = defineNode('memory-store', MemoryStoreConfigSchema, async (context, inputs) => {
  const memory = context.memory;
  if (!memory) throw new Error('memory unavailable: this War Room has no memory store configured');
  const namespace = context.config.namespace ?? projectNamespace(context.projectDir);
  const memoryKind = context.config.memoryKind;
  const text = toText(inputs.values.text);
  const result = await context.journaled('tool', { memoryStore: text, namespace, memoryKind }, () =>
    memory.store({
      namespace,
      kind: memoryKind,
      text,
      provenance: { runId: context.runId, nodeId: context.nodeId },
    }),
  );
  return { item: { id: result.item.id, outcome: result.outcome } };
});
