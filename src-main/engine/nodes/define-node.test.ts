import { NODE_KIND_DESCRIPTORS, TransformConfigSchema } from '@shared/node-kinds';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { NodeContext } from '../node-kind';
import { defineNode } from './define-node';
import { createDefaultNodeRegistry } from './registry';

type TransformConfig = z.infer<typeof TransformConfigSchema>;

describe('defineNode', () => {
  it('refuses a config schema other than the one the kind’s descriptor declares', () => {
    const lookalike = TransformConfigSchema.extend({});
    expect(() => defineNode('transform', lookalike, () => Promise.resolve({}))).toThrow(
      'node kind "transform": defineNode was given a config schema other than the one its descriptor declares in src-shared/node-kinds.ts',
    );
  });

  it('refuses a kind the catalogue does not describe', () => {
    expect(() => defineNode('teleport', TransformConfigSchema, () => Promise.resolve({}))).toThrow(
      'no descriptor for node kind "teleport"',
    );
  });

  it('hands run the parsed config, typed by its schema', async () => {
    let seen: TransformConfig | undefined;
    const transform = defineNode('transform', TransformConfigSchema, (context) => {
      expectTypeOf(context.config).toEqualTypeOf<TransformConfig>();
      seen = context.config;
      return Promise.resolve({ out: context.config.template });
    });
    const config = TransformConfigSchema.parse({ template: 'hello' });
    // The engine builds whole contexts; this test needs only the config.
    const context = { config } as Partial<NodeContext> as NodeContext;

    const outputs = await transform.run(context, { values: {}, all: {} });

    expect(outputs).toEqual({ out: 'hello' });
    expect(seen).toEqual({ template: 'hello', json: false, onError: 'fail' });
    expect(transform.descriptor).toBe(NODE_KIND_DESCRIPTORS.find((descriptor) => descriptor.kind === 'transform'));
  });

  it('gives every catalogued kind an implementation carrying the catalogue’s own descriptor', () => {
    const registry = createDefaultNodeRegistry();
    for (const descriptor of NODE_KIND_DESCRIPTORS) {
      expect(registry.get(descriptor.kind)?.descriptor).toBe(descriptor);
    }
  });
});
