import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pendingBreakpoint, type Breakpoint } from '@shared/breakpoints';
import type { RunEvent, RunEventOf } from '@shared/run-events';
import type { Workflow } from '@shared/workflow';
import type { RunEngine } from '../engine/engine';
import { chainWorkflow, loopWorkflow } from '../engine/testing/workflow-builder';
import { openAnthropicWorkspace, type AnthropicWorkspace } from '../testing/anthropic-engine';
import { delegatingScript, taskOfRequest, teamWorkflow } from '../testing/fake-team';

/** Breakpoints, step and continue: the engine on the real SDK against the fake Messages API, on SQLite. */
const promptOf = taskOfRequest;

const pipeline = () =>
  chainWorkflow([
    ['plan', 'agent', { prompt: 'Plan: {{in}}' }],
    ['build', 'agent', { prompt: 'Build: {{in}}' }],
  ]);

/** The run's events up to and including the first that `stop` accepts after `afterSeq`. */
async function until(engine: RunEngine, runId: string, stop: (event: RunEvent) => boolean, afterSeq = 0) {
  for await (const event of engine.events(runId, afterSeq, { follow: true })) {
    if (stop(event)) return event;
  }
  throw new Error(`run ${runId} settled without the awaited event`);
}

const nextHit = async (engine: RunEngine, runId: string, afterSeq = 0) =>
  (await until(engine, runId, (event) => event.type === 'breakpoint.hit', afterSeq)) as RunEventOf<'breakpoint.hit'>;

describe('breakpoints (engine + Anthropic adapter + SQLite)', () => {
  let workspace: AnthropicWorkspace;
  beforeEach(async () => {
    workspace = await openAnthropicWorkspace('warroom-breakpoints-', (request) => ({
      text: `answer to ${promptOf(request)}`,
    }));
  });
  afterEach(() => workspace.close());

  const createEngine = () => workspace.openEngine().engine;
  const start = (engine: RunEngine, workflow: Workflow, breakpoints: Breakpoint[], task = 'x') =>
    engine.start({ workflow, projectDir: workspace.projectDir, inputs: { task }, breakpoints });

  it('pauses before a node with its pending input, runs it with the edited input, and records the edit', async () => {
    const engine = createEngine();
    const run = start(engine, pipeline(), [{ kind: 'node', nodeId: 'build' }]);
    const hit = await nextHit(engine, run.id);
    expect(hit.nodeId).toBe('build');
    expect(hit.data).toMatchObject({ kind: 'node', cause: 'breakpoint', pending: { in: 'answer to Plan: x' } });
    expect(engine.get(run.id)).toMatchObject({ status: 'paused', pauseReason: expect.stringContaining('"build"') });
    expect(workspace.server.requests).toHaveLength(1);

    engine.continue(run.id, 'continue', { in: 'a better plan' });
    const finished = await engine.wait(run.id);
    expect(finished.status).toBe('completed');
    expect(finished.outputs).toEqual({ result: 'answer to Build: a better plan' });
    expect(promptOf(workspace.server.requests[1])).toBe('Build: a better plan');
    const events = engine.eventsSoFar(run.id);
    const resumed = events.find((event) => event.type === 'breakpoint.resumed');
    expect(resumed?.data).toEqual({
      key: hit.data.key,
      scope: 'build#1',
      action: 'continue',
      edited: { in: 'a better plan' },
    });
    const started = events.find((event) => event.type === 'node.started' && event.nodeId === 'build');
    expect(started?.data).toMatchObject({ inputs: { in: 'a better plan' } });
    expect(pendingBreakpoint(events)).toBeNull();

    // A replay never pauses, and runs what the run ran (the edit included) with no model call.
    const replay = await engine.wait(engine.replay(run.id).id);
    expect(replay.outputs).toEqual(finished.outputs);
    expect(workspace.server.requests).toHaveLength(2);
  });

  it('a paused run survives a restart: a new engine shows it paused and continues it without repeating a model call', async () => {
    const first = createEngine();
    const run = start(first, pipeline(), [{ kind: 'node', nodeId: 'build' }]);
    await nextHit(first, run.id);
    await first.shutdown();
    expect(workspace.server.requests).toHaveLength(1);

    const restarted = createEngine();
    const paused = restarted.get(run.id);
    expect(paused.status).toBe('paused');
    expect(paused.pauseReason).toContain(`warroom runs continue ${run.id}`);
    expect(pendingBreakpoint(restarted.eventsSoFar(run.id))).toMatchObject({ nodeId: 'build', kind: 'node' });

    restarted.continue(run.id, 'continue', { in: 'edited after restart' });
    const finished = await restarted.wait(run.id);
    expect(finished.status).toBe('completed');
    expect(finished.outputs).toEqual({ result: 'answer to Build: edited after restart' });
    expect(workspace.server.requests.map(promptOf)).toEqual(['Plan: x', 'Build: edited after restart']);
  });

  it('step runs the pending node and pauses again before the next one', async () => {
    const engine = createEngine();
    const run = start(engine, pipeline(), [{ kind: 'node', nodeId: 'plan' }]);
    const first = await nextHit(engine, run.id);
    expect(first.nodeId).toBe('plan');
    engine.continue(run.id, 'step');
    const second = await nextHit(engine, run.id, first.seq);
    expect(second.nodeId).toBe('build');
    expect(second.data.cause).toBe('step');
    expect(workspace.server.requests).toHaveLength(1);
    engine.continue(run.id, 'continue');
    const finished = await engine.wait(run.id);
    expect(finished.outputs).toEqual({ result: 'answer to Build: answer to Plan: x' });
    // `continue` stops stepping: the output node ran without a pause.
    expect(engine.eventsSoFar(run.id).filter((event) => event.type === 'breakpoint.hit')).toHaveLength(2);
  });

  it('pauses before each tool call with its arguments; the edited arguments are what runs and is journaled', async () => {
    workspace.server.setScript((_request, index) =>
      index === 0
        ? { toolUses: [{ id: 'call_1', name: 'write_file', input: { path: 'note.txt', content: 'original' } }] }
        : { text: 'written' },
    );
    const engine = createEngine();
    const workflow = chainWorkflow([['writer', 'agent', { prompt: 'Write: {{in}}', tools: ['write_file'] }]]);
    const run = start(engine, workflow, [{ kind: 'tool', nodeId: 'writer' }]);
    const hit = await nextHit(engine, run.id);
    expect(hit.data).toMatchObject({
      kind: 'tool',
      tool: { id: 'call_1', name: 'write_file' },
      pending: { path: 'note.txt', content: 'original' },
    });
    expect(fs.existsSync(path.join(workspace.projectDir, 'note.txt'))).toBe(false);

    engine.continue(run.id, 'continue', { path: 'note.txt', content: 'edited' });
    expect((await engine.wait(run.id)).status).toBe('completed');
    expect(fs.readFileSync(path.join(workspace.projectDir, 'note.txt'), 'utf8')).toBe('edited');
    const call = engine.eventsSoFar(run.id).find((event) => event.type === 'tool.call');
    expect(call?.data).toMatchObject({ input: { path: 'note.txt', content: 'edited' } });
    // The replay finds the tool's result under the edited request: the journal holds what actually ran.
    fs.rmSync(path.join(workspace.projectDir, 'note.txt'));
    const replay = await engine.wait(engine.replay(run.id).id);
    expect(replay.status).toBe('completed');
    expect(fs.existsSync(path.join(workspace.projectDir, 'note.txt'))).toBe(false);
  });

  it('step from a tool call pauses before the next tool call, then before the next node when the agent is done', async () => {
    workspace.server.setScript((_request, index) =>
      index < 2
        ? { toolUses: [{ id: `call_${index + 1}`, name: 'list_files', input: { path: '.' } }] }
        : { text: 'listed' },
    );
    const engine = createEngine();
    const workflow = chainWorkflow([['lister', 'agent', { prompt: 'List: {{in}}', tools: ['list_files'] }]]);
    const run = start(engine, workflow, [{ kind: 'tool', nodeId: 'lister' }]);
    const first = await nextHit(engine, run.id);
    expect(first.data.tool?.id).toBe('call_1');
    engine.continue(run.id, 'step');
    const second = await nextHit(engine, run.id, first.seq);
    expect(second.data).toMatchObject({ kind: 'tool', tool: { id: 'call_2' } });
    engine.continue(run.id, 'step');
    const next = await nextHit(engine, run.id, second.seq);
    expect(next.nodeId).toBe('result');
    expect(next.data).toMatchObject({ kind: 'node', cause: 'step', pending: { value: 'listed' } });
    engine.continue(run.id, 'continue');
    expect((await engine.wait(run.id)).outputs).toEqual({ result: 'listed' });
  });

  it('pauses a loop before iteration N with the value going round, which the user may edit', async () => {
    const engine = createEngine();
    const workflow = loopWorkflow({ maxIterations: 3, exitWhen: 'false' }, '{{in}}+');
    const run = start(engine, workflow, [{ kind: 'loop', nodeId: 'loop', iteration: 2 }], 'a');
    const hit = await nextHit(engine, run.id);
    expect(hit.data).toMatchObject({ kind: 'loop', iteration: 2, pending: 'a+' });
    engine.continue(run.id, 'continue', 'b');
    const finished = await engine.wait(run.id);
    expect(finished.outputs).toEqual({ result: 'b++' });
    expect(engine.eventsSoFar(run.id).filter((event) => event.type === 'breakpoint.hit')).toHaveLength(1);
  });

  it('cancels a paused run, and refuses continue on a run that is not paused at a breakpoint', async () => {
    const engine = createEngine();
    const run = start(engine, pipeline(), [{ kind: 'node', nodeId: 'build' }]);
    await nextHit(engine, run.id);
    expect(() => engine.continue(run.id, 'continue', 'not an object')).toThrow(/must be a JSON object/);
    engine.cancel(run.id);
    expect((await engine.wait(run.id)).status).toBe('cancelled');
    expect(() => engine.continue(run.id, 'continue')).toThrow(/not paused at a breakpoint/);
    expect(workspace.server.requests).toHaveLength(1);
  });

  it("a tool-call breakpoint on a team pauses before the coordinator's delegation and each member's tool call", async () => {
    workspace.server.setScript(
      delegatingScript([['coder', 'list the project']], (request, role) =>
        request.body.messages.length === 1
          ? { toolUses: [{ id: 'ls_1', name: 'list_files', input: { path: '.' } }] }
          : { text: `${role} listed it` },
      ),
    );
    const engine = createEngine();
    const run = start(engine, teamWorkflow(['coder'], { members: [{ role: 'coder', tools: ['list_files'] }] }), [
      { kind: 'tool', nodeId: 'crew' },
    ]);
    const delegation = await nextHit(engine, run.id);
    expect(delegation.nodeId).toMatch(/^crew\//);
    expect(delegation.data.tool?.name).toBe('delegate');
    engine.continue(run.id, 'continue');
    const memberCall = await nextHit(engine, run.id, delegation.seq);
    expect(memberCall.nodeId).toMatch(/^crew\//);
    expect(memberCall.nodeId).not.toBe(delegation.nodeId);
    expect(memberCall.data).toMatchObject({ tool: { name: 'list_files' }, pending: { path: '.' } });
    engine.continue(run.id, 'continue');
    expect((await engine.wait(run.id)).status).toBe('completed');
  });

  it('refuses breakpoints that name no node, or a node that cannot pause that way', () => {
    const engine = createEngine();
    expect(() => start(engine, pipeline(), [{ kind: 'node', nodeId: 'nope' }])).toThrow(/does not have/);
    expect(() => start(engine, pipeline(), [{ kind: 'loop', nodeId: 'plan', iteration: 2 }])).toThrow(/not a loop/);
    expect(() => start(engine, pipeline(), [{ kind: 'tool', nodeId: 'result' }])).toThrow(/only agents and teams/);
  });
});
