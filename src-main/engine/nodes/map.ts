import { MapConfigSchema } from '@shared/node-kinds';
import { defineNode } from './define-node';

/** Runs the configured node once per item, at most maxConcurrency at a time; the results keep the list's order. */
export const mapNode = defineNode('map', MapConfigSchema, async (context, inputs) => {
  const list = inputs.values.list;
  if (!Array.isArray(list)) throw new Error(`map needs a list, got ${typeof list}`);
  const { item } = context.config;
  const results: unknown[] = new Array<unknown>(list.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < list.length; index = next++) {
      const outputs = await context.runChild(item.kind, item.config, list[index], `item${index}`);
      results[index] = Object.values(outputs)[0];
    }
  };
  await Promise.all(Array.from({ length: Math.min(context.maxConcurrency, list.length) }, worker));
  return { out: results };
});
