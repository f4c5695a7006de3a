import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MemorySearchHit, MemoryStore, NewMemoryItem } from '../../memory/port';
import type { SandboxExecRequest, SandboxExecResult, SandboxRunner } from '../../sandbox/port';
import { createHarness, eventTypes } from '../testing/engine-harness';
import { buildWorkflow, storeThenSearchWorkflow } from '../testing/workflow-builder';
import { createDefaultNodeRegistry, NodeRegistry } from './registry';
import { inputNode } from './input';

class FakeMemory implements MemoryStore {
  readonly stored: NewMemoryItem[] = [];
  search(query: string): Promise<MemorySearchHit[]> {
    return Promise.resolve(
      this.stored
        .filter((item) => item.text.includes(query))
        .map((item, index) => ({
          item: {
            id: `m${index}`,
            namespace: item.namespace,
            kind: item.kind,
            text: item.text,
            metadata: {},
            pinned: false,
            provenance: item.provenance ?? {},
            createdAt: '',
            updatedAt: '',
            lastUsedAt: null,
          },
          score: 1,
          reasons: ['full-text'],
          excerpt: item.text,
        })),
    );
  }
  store(item: NewMemoryItem) {
    this.stored.push(item);
    return this.search(item.text).then((hits) => ({
      item: hits[0]?.item ?? ({} as never),
      outcome: 'stored' as const,
    }));
  }
}

const okResult = (stdout: string): SandboxExecResult => ({
  exitCode: 0,
  termination: 'exited',
  stdout,
  stderr: '',
  truncated: { stdout: 0, stderr: 0 },
  durationMs: 1,
  artifacts: [],
});

describe('node registry', () => {
  it('has every kind once and refuses duplicates', () => {
    const kinds = createDefaultNodeRegistry()
      .list()
      .map((implementation) => implementation.descriptor.kind);
    expect(kinds).toHaveLength(15);
    expect(() => new NodeRegistry().register(inputNode).register(inputNode)).toThrow(/already registered/);
  });
});

describe('memory, tool and code nodes', () => {
  it('stores to and searches project memory through the MemoryStore port, with provenance', async () => {
    const memory = new FakeMemory();
    const { runToEnd } = createHarness({ memory });
    const workflow = storeThenSearchWorkflow('cart', 3);
    const run = await runToEnd(workflow, { note: 'the cart lives in redis' });
    expect(run.outputs).toEqual({ hits: [{ text: 'the cart lives in redis', score: 1, id: 'm0' }] });
    expect(memory.stored[0]).toMatchObject({ kind: 'decision', provenance: { runId: run.id, nodeId: 'save' } });
  });

  it('calls a built-in tool directly with templated arguments', async () => {
    const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-tool-'));
    fs.writeFileSync(path.join(projectDir, 'notes.md'), 'hello');
    const { engine } = createHarness();
    const workflow = buildWorkflow(
      [
        ['file', 'input', { name: 'file' }],
        ['read', 'tool', { tool: 'read_file', args: { path: '{{in}}' } }],
        ['text', 'output', { name: 'text' }],
      ],
      ['file.value -> read.in', 'read.out -> text.value'],
    );
    const run = await engine.wait(engine.start({ workflow, inputs: { file: 'notes.md' }, projectDir }).id);
    expect(run.outputs).toEqual({ text: 'hello' });
    fs.rmSync(projectDir, { recursive: true });
  });

  it('runs code through the SandboxRunner port with the input on stdin', async () => {
    const requests: SandboxExecRequest[] = [];
    const sandbox: SandboxRunner = {
      execute: (request) => {
        requests.push(request);
        return Promise.resolve(okResult(JSON.stringify({ doubled: (JSON.parse(request.stdin ?? '0') as number) * 2 })));
      },
    };
    const { runToEnd } = createHarness({ sandbox });
    const workflow = buildWorkflow(
      [
        ['n', 'input', { name: 'n' }],
        [
          'double',
          'code',
          { language: 'python', code: 'import json,sys; print(json.dumps({"doubled": 2*json.load(sys.stdin)}))' },
        ],
        ['result', 'output', { name: 'result' }],
      ],
      ['n.value -> double.in', 'double.out -> result.value'],
    );
    const run = await runToEnd(workflow, { n: 21 });
    expect(run.outputs).toEqual({ result: { doubled: 42 } });
    expect(requests[0]).toMatchObject({ language: 'python', stdin: '21', workspaceDir: '/tmp' });
  });

  it('cancel reaches sandbox work within a second', async () => {
    let aborted = false;
    const sandbox: SandboxRunner = {
      execute: (_request, options) =>
        new Promise((_resolve, reject) => {
          options?.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('container stopped'));
          });
        }),
    };
    const { engine, events } = createHarness({ sandbox });
    const workflow = buildWorkflow(
      [
        ['n', 'input', { name: 'n' }],
        ['forever', 'code', { language: 'node', code: 'while (true) {}' }],
      ],
      ['n.value -> forever.in'],
    );
    const run = engine.start({ workflow, inputs: { n: 1 }, projectDir: '/tmp' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    engine.cancel(run.id);
    expect((await engine.wait(run.id)).status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(aborted).toBe(true);
    expect(eventTypes(events(run.id)).at(-1)).toBe('run.cancelled');
  });

  it('join "any" keeps the branches that produced something; "all" fails when one did not', async () => {
    const { runToEnd } = createHarness();
    const nodes = (policy: string): Array<[string, string, Record<string, unknown>]> => [
      ['x', 'input', { name: 'x' }],
      ['good', 'transform', { template: 'good' }],
      ['bad', 'transform', { template: '{{ ( }}', onError: 'continue' }],
      ['join', 'join', { policy }],
      ['result', 'output', { name: 'result' }],
    ];
    const edges = [
      'x.value -> good.in',
      'x.value -> bad.in',
      'good.out -> join.in',
      'bad.out -> join.in',
      'join.out -> result.value',
    ];
    expect((await runToEnd(buildWorkflow(nodes('any'), edges), { x: 1 })).outputs).toEqual({ result: ['good'] });
    const all = await runToEnd(buildWorkflow(nodes('all'), edges), { x: 1 });
    expect(all.status).toBe('failed');
    expect(all.error).toBe('node "join": join "all" is missing the branches from bad');
  });
});
