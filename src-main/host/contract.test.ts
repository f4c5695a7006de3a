import { ORPCError } from '@orpc/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '@shared/errors';
import type { TeamTask } from '@shared/team-tasks';
import { buildWorkflow } from '../engine/testing/workflow-builder';
import { startFakeAnthropicServer } from '../llm/testing/fake-anthropic-server';
import { everythingStdio } from '../mcp/testing/reference-servers';
import { delegatingScript, teamWorkflow } from '../testing/fake-team';
import { makeTempProfile, TRANSPORTS, type ConnectedClient } from './testing/transports';

async function expectApiError(promise: Promise<unknown>, code: string): Promise<ORPCError<string, unknown>> {
  const error = await promise.then(
    () => {
      throw new Error(`expected the call to fail with ${code}`);
    },
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(ORPCError);
  expect((error as ORPCError<string, unknown>).code).toBe(code);
  return error as ORPCError<string, unknown>;
}

/** A workflow the API created, with the nodes and edges given in buildWorkflow's shorthand. */
function withGraph<T extends object>(workflow: T, ...graph: Parameters<typeof buildWorkflow>): T {
  const { nodes, edges } = buildWorkflow(...graph);
  return { ...workflow, nodes, edges };
}

/** Runs `use` on a fresh connection over the transport, closed afterwards whatever happens. */
async function withConnection(
  connect: () => Promise<ConnectedClient>,
  use: (connection: ConnectedClient) => Promise<void>,
): Promise<void> {
  const connection = await connect();
  try {
    await use(connection);
  } finally {
    await connection.close();
  }
}

describe.each(TRANSPORTS)('API contract over $name', ({ connect }) => {
  let connection: ConnectedClient;
  beforeEach(async () => {
    connection = await connect();
  });
  afterEach(async () => {
    await connection.close();
  });

  it('reports app info and health', async () => {
    const info = await connection.client.app.info();
    expect(info.name).toBe('War Room');
    expect(info.version).toBe('0.0.0-test');
    const health = await connection.client.app.health();
    expect(health.ok).toBe(true);
    expect(health.database.schemaVersion).toBeGreaterThanOrEqual(1);
  });

  it('reads defaults, updates settings, and rejects bad values with a typed error', async () => {
    const defaults = await connection.client.settings.get();
    expect(defaults.engine.maxConcurrency).toBe(4);
    const updated = await connection.client.settings.update({ engine: { maxConcurrency: 8 } });
    expect(updated.engine.maxConcurrency).toBe(8);
    expect(updated.llm).toEqual(defaults.llm);
    expect((await connection.client.settings.get()).engine.maxConcurrency).toBe(8);

    const tooMany = await expectApiError(
      connection.client.settings.update({ engine: { maxConcurrency: 500 } }),
      ErrorCode.BadRequest,
    );
    expect(tooMany.message).toMatch(/validation/i);
    // An unknown field is refused, not silently dropped.
    await expectApiError(
      connection.client.settings.update({ engine: { maxConcurency: 2 } } as never),
      ErrorCode.BadRequest,
    );
    expect((await connection.client.settings.get()).engine.maxConcurrency).toBe(8);
  });

  it('streams settings changes to a subscriber', async () => {
    const controller = new AbortController();
    const stream = await connection.client.settings.changes(undefined, { signal: controller.signal });
    const next = stream.next();
    // Give the subscription a moment to reach the server before the change is made.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await connection.client.settings.update({ ui: { reduceMotion: true } });
    const result = await next;
    expect(result.done).toBe(false);
    if (result.done) return;
    expect(result.value.settings.ui.reduceMotion).toBe(true);
    controller.abort();
  });

  it('keeps secret values out of every response', async () => {
    const status = await connection.client.secrets.set({ name: 'anthropicApiKey', value: 'sk-ant-test-secret' });
    expect(status).toEqual({ name: 'anthropicApiKey', source: 'store' });
    const all = await connection.client.secrets.status();
    expect(JSON.stringify(all)).not.toContain('sk-ant-test-secret');
    expect(connection.app.secrets.get('anthropicApiKey')).toBe('sk-ant-test-secret');
    expect(await connection.client.secrets.clear({ name: 'anthropicApiKey' })).toEqual({
      name: 'anthropicApiKey',
      source: 'none',
    });
  });

  it('creates, lists, saves, exports, imports and deletes workflows', async () => {
    const created = await connection.client.workflows.create({ name: 'Review loop' });
    expect(await connection.client.workflows.list()).toEqual([
      expect.objectContaining({ id: created.id, name: 'Review loop', nodeCount: 0 }),
    ]);

    const edited = {
      ...created,
      nodes: [{ id: 'in', kind: 'input', position: { x: 0, y: 0 }, config: {} }],
    };
    const saved = await connection.client.workflows.save({ workflow: edited });
    expect(saved.nodes).toHaveLength(1);
    expect((await connection.client.workflows.get({ id: created.id })).nodes[0]?.id).toBe('in');

    const exported = await connection.client.workflows.export({ id: created.id });
    expect(exported.fileName).toBe('review-loop.warroom.json');
    const imported = await connection.client.workflows.import({ json: exported.json });
    // Same id already present: the import becomes a copy with a new id.
    expect(imported.renamedFrom).toBe(created.id);
    expect(imported.workflow.id).not.toBe(created.id);
    expect(imported.workflow.nodes).toEqual(saved.nodes);
    expect(await connection.client.workflows.list()).toHaveLength(2);

    expect(await connection.client.workflows.delete({ id: created.id })).toEqual({ id: created.id });
    await expectApiError(connection.client.workflows.get({ id: created.id }), ErrorCode.NotFound);
    await expectApiError(connection.client.workflows.delete({ id: created.id }), ErrorCode.NotFound);
  });

  it('answers an invalid workflow with every problem, naming the field', async () => {
    const error = await expectApiError(
      connection.client.workflows.import({
        json: JSON.stringify({
          schemaVersion: 1,
          id: 'broken',
          name: 'Broken',
          nodes: [{ id: 'a', kind: 'input', position: { x: 'left', y: 0 } }],
          edges: [{ id: 'e1', source: { node: 'a', port: 'out' }, target: { node: 'ghost', port: 'in' } }],
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        }),
      }),
      ErrorCode.InvalidWorkflow,
    );
    expect(error.data).toEqual({
      problems: [expect.objectContaining({ path: 'nodes[0].position.x' })],
    });
    const notJson = await expectApiError(
      connection.client.workflows.import({ json: '{ nope' }),
      ErrorCode.InvalidWorkflow,
    );
    expect(notJson.message).toMatch(/not valid JSON/);
    expect(await connection.client.workflows.list()).toEqual([]);
  });

  it('rejects malformed input at the boundary', async () => {
    await expectApiError(connection.client.workflows.get({ id: '' }), ErrorCode.BadRequest);
    await expectApiError(connection.client.workflows.get(undefined as never), ErrorCode.BadRequest);
  });
});

describe.each(TRANSPORTS)('event stream errors over $name', ({ connect }) => {
  it('arrive typed even when raised while the stream is consumed', () =>
    withConnection(connect, async (connection) => {
      const stream = await connection.client.runs.events({ runId: 'no-such-run' });
      await expectApiError(stream.next(), ErrorCode.NotFound);
    }));
});

describe.each(TRANSPORTS)('templates and roles over $name', ({ connect }) => {
  it('lists the shipped templates and role presets, and makes a saved workflow from a template', () =>
    withConnection(connect, async (connection) => {
      const templates = await connection.client.workflows.templates();
      expect(templates.map((template) => template.id)).toEqual(
        expect.arrayContaining(['code-review-loop', 'plan-implement-test', 'research-fan-out']),
      );
      const roles = await connection.client.roles.list();
      expect(roles.map((role) => role.name)).toEqual(
        expect.arrayContaining(['planner', 'architect', 'coder', 'reviewer', 'tester', 'researcher', 'sentinel']),
      );

      const created = await connection.client.workflows.createFromTemplate({ templateId: 'code-review-loop' });
      expect(created.id).toMatch(/^wf-/);
      expect(created.nodes.length).toBe(templates.find((t) => t.id === 'code-review-loop')?.nodeCount);
      expect((await connection.client.workflows.list()).map((summary) => summary.id)).toEqual([created.id]);
      expect((await connection.client.workflows.validate({ workflow: created })).ok).toBe(true);
      await expectApiError(connection.client.workflows.createFromTemplate({ templateId: 'nope' }), ErrorCode.NotFound);
    }));
});

describe.each(TRANSPORTS)('runs over $name', ({ connect }) => {
  it('starts a run, streams its events from a seq, and reports it done', () =>
    withConnection(connect, async (connection) => {
      const created = await connection.client.workflows.create({ name: 'Greeter' });
      const workflow = withGraph(
        created,
        [
          ['who', 'input', { name: 'who' }],
          ['greet', 'transform', { template: 'Hello, {{in}}!' }],
          ['greeting', 'output', { name: 'greeting' }],
        ],
        ['who.value -> greet.in', 'greet.out -> greeting.value'],
      );
      await connection.client.workflows.save({ workflow });
      const run = await connection.client.runs.start({
        workflowId: created.id,
        projectDir: makeTempProfile('warroom-project-'),
        inputs: { who: 'Ada' },
      });
      const types: string[] = [];
      for await (const event of await connection.client.runs.events({ runId: run.id })) types.push(event.type);
      expect(types[0]).toBe('run.started');
      expect(types.at(-1)).toBe('run.completed');
      expect((await connection.client.runs.get({ runId: run.id })).outputs).toEqual({ greeting: 'Hello, Ada!' });

      // A late subscriber asks only for what it has not seen.
      const tail: number[] = [];
      for await (const event of await connection.client.runs.events({ runId: run.id, afterSeq: types.length - 2 })) {
        tail.push(event.seq);
      }
      expect(tail).toEqual([types.length - 1, types.length]);
      expect((await connection.client.runs.list({ limit: 10 })).map((listed) => listed.id)).toContain(run.id);
    }));

  it('saves the canvas and starts a run of the saved version in one call', () =>
    withConnection(connect, async (connection) => {
      const created = await connection.client.workflows.create({ name: 'Echo' });
      const edited = withGraph(
        created,
        [
          ['who', 'input', { name: 'who' }],
          ['echo', 'output', { name: 'echo' }],
        ],
        ['who.value -> echo.value'],
      );
      const { run, workflow } = await connection.client.runs.saveAndStart({
        workflow: edited,
        projectDir: makeTempProfile('warroom-project-'),
        inputs: { who: 'Ada' },
      });
      const stored = await connection.client.workflows.get({ id: created.id });
      expect(stored.nodes.map((node) => node.id)).toEqual(['who', 'echo']);
      expect(workflow.updatedAt).toBe(stored.updatedAt);
      expect(run.workflowId).toBe(created.id);
      for await (const event of await connection.client.runs.events({ runId: run.id })) void event;
      expect((await connection.client.runs.get({ runId: run.id })).outputs).toEqual({ echo: 'Ada' });
      await expect(
        connection.client.runs.saveAndStart({ workflow: { nonsense: true }, projectDir: '/tmp', inputs: {} }),
      ).rejects.toMatchObject({ code: 'INVALID_WORKFLOW' });
    }));

  it("serves a team run's task tree", async () => {
    const server = await startFakeAnthropicServer(
      delegatingScript([
        ['planner', 'plan the cart'],
        ['coder', 'write the cart'],
      ]),
    );
    try {
      await withConnection(connect, async (connection) => {
        await connection.client.settings.update({
          llm: { anthropicBaseUrl: server.url, model: 'claude-sonnet-4-6' },
          memory: { synthesizeAfterRuns: false },
        });
        await connection.client.secrets.set({ name: 'anthropicApiKey', value: 'test-key' });
        const run = await connection.client.runs.start({
          workflow: teamWorkflow(['planner', 'coder']),
          projectDir: makeTempProfile('warroom-project-'),
          inputs: { task: 'a cart' },
        });
        for await (const event of await connection.client.runs.events({ runId: run.id })) void event;
        expect((await connection.client.runs.get({ runId: run.id })).status).toBe('completed');
        const tasks = await connection.client.runs.tasks({ runId: run.id });
        const shape = (list: TeamTask[]): unknown[] =>
          list.map((task) => ({
            id: task.id,
            parentId: task.parentId,
            role: task.role,
            status: task.status,
            children: shape(task.children),
          }));
        expect(shape(tasks)).toEqual([
          {
            id: 'crew#1/1',
            parentId: null,
            role: 'coordinator',
            status: 'completed',
            children: [
              { id: 'crew#1/1.1', parentId: 'crew#1/1', role: 'planner', status: 'completed', children: [] },
              { id: 'crew#1/1.2', parentId: 'crew#1/1', role: 'coder', status: 'completed', children: [] },
            ],
          },
        ]);
        const [planner] = tasks[0]?.children ?? [];
        expect(planner).toMatchObject({ task: 'plan the cart', result: 'planner did: plan the cart' });
        expect(planner?.usage).toEqual({ inputTokens: 100, outputTokens: 10, costUsd: expect.any(Number) as number });
        expect(tasks[0]?.usage.inputTokens).toBe(200);
        await expectApiError(connection.client.runs.tasks({ runId: 'no-such-run' }), ErrorCode.NotFound);
      });
    } finally {
      await server.close();
    }
  });
});

describe.each(TRANSPORTS)('MCP servers over $name', ({ connect }) => {
  it('saves a server, connects it and lists its tools; secrets are names only; bad config is refused', () =>
    withConnection(connect, async (connection) => {
      const { client } = connection;
      const saved = await client.mcp.save({ name: 'everything', config: everythingStdio() });
      expect(saved.name).toBe('everything');
      const [listed] = await client.mcp.list({ connect: true });
      expect(listed?.state).toBe('connected');
      expect(listed?.tools.map((tool) => tool.name)).toContain('mcp__everything__echo');
      expect(await client.mcp.setSecret({ name: 'TOKEN', value: 'hunter2-secret' })).toEqual(['TOKEN']);
      expect(JSON.stringify(await client.mcp.list({ connect: false }))).not.toContain('hunter2-secret');
      await expectApiError(client.mcp.save({ name: 'broken', config: { command: '' } as never }), ErrorCode.BadRequest);
    }));
});
