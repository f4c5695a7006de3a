import { defaultNamespace, type MemoryKind } from '../../memory/port';
import { toText } from '../expression';
import type { NodeImplementation } from '../node-kind';
import { descriptorOf } from './descriptor';

export const memoryStoreNode: NodeImplementation = {
  descriptor: descriptorOf('memory-store'),
  run: async (context, inputs) => {
    const memory = context.memory;
    if (!memory) throw new Error('memory unavailable: this War Room has no memory store configured');
    const config = context.config as { namespace?: string; memoryKind: MemoryKind };
    const namespace = config.namespace ?? defaultNamespace(context.projectDir);
    const memoryKind = config.memoryKind;
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
  },
};
