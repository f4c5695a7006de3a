import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { teamNamespace } from '@shared/memory-namespaces';
import { eventsOfType } from '@shared/run-events';
import { TeamMemoryProvenanceSchema } from '@shared/team-tasks';
import type { LlmRequest } from '../llm/port';
import type { RolePreset } from '../engine/node-kind';
import { createHarness } from '../engine/testing/engine-harness';
import { ScriptedLlm, type ScriptedAnswer } from '../engine/testing/scripted-llm';
import { buildWorkflow } from '../engine/testing/workflow-builder';
import { openMemoryProfile, type MemoryProfile } from './testing/memory-profile';

/**
 * Team memory through the engine, on real SQLite: members share what they find in the team's run-scoped
 * namespace; after the run, what the team learned is synthesized into the project's memory with the task
 * tree as provenance.
 */
const role = (name: string): [string, RolePreset] => [
  name,
  { name, description: `the ${name}`, system: `ROLE:${name}`, tools: [] },
];
const roles = new Map([role('coordinator'), role('researcher'), role('coder')]);
const roleOf = (request: LlmRequest) => /ROLE:(\w+)/.exec(request.system)?.[1] ?? '?';
const turnOf = (request: LlmRequest) => request.messages.filter((message) => message.role === 'assistant').length;
const promptOf = (request: LlmRequest) => JSON.stringify(request.messages[0]?.content ?? []);
const lastResult = (request: LlmRequest) =>
  (request.messages.at(-1)?.content ?? []).flatMap((block) => (block.type === 'tool_result' ? [block.content] : []))[0];
const isSynthesis = (request: LlmRequest) => request.system.includes('long-term memory of a software project');
const isTeamSynthesis = (request: LlmRequest) => isSynthesis(request) && promptOf(request).includes('learned');

const FINDING = 'The payments API listens on port 8443 behind the internal proxy.';

const teamSummary = JSON.stringify({
  summary: 'The team found that payments is served on port 8443 and wired the client to it.',
  decisions: ['Talk to the payments API through the internal proxy on 8443'],
});
const runSummary = JSON.stringify({ summary: 'Connected the shop to the payments API.' });

/** Coordinator: a researcher finds, then a coder uses what the researcher stored. */
const script = (request: LlmRequest): ScriptedAnswer => {
  if (isTeamSynthesis(request)) return { text: teamSummary };
  if (isSynthesis(request)) return { text: runSummary };
  const turn = turnOf(request);
  switch (roleOf(request)) {
    case 'coordinator':
      if (turn === 0)
        return { toolUses: [{ id: 'd1', name: 'delegate', input: { role: 'researcher', task: 'find the port' } }] };
      if (turn === 1)
        return { toolUses: [{ id: 'd2', name: 'delegate', input: { role: 'coder', task: 'wire the client' } }] };
      return { text: `done: ${String(lastResult(request))}` };
    case 'researcher':
      return turn === 0
        ? { toolUses: [{ id: 'm1', name: 'memory_store', input: { text: FINDING, kind: 'note' } }] }
        : { text: 'stored the port' };
    case 'coder':
      return turn === 0
        ? { toolUses: [{ id: 's1', name: 'memory_search', input: { query: 'payments port' } }] }
        : { text: `client uses: ${String(lastResult(request))}` };
    default:
      return { text: '?' };
  }
};

const teamFlow = () =>
  buildWorkflow(
    [
      ['goal', 'input', { name: 'goal' }],
      [
        'crew',
        'team',
        {
          prompt: '{{in}}',
          topology: 'hierarchical',
          members: [
            { role: 'researcher', tools: ['memory_store'] },
            { role: 'coder', tools: ['memory_search'] },
          ],
        },
      ],
      ['result', 'output', { name: 'result' }],
    ],
    ['goal.value -> crew.in', 'crew.out -> result.value'],
  );

describe('team memory (engine + SQLite)', () => {
  let profile: MemoryProfile;
  beforeEach(() => {
    profile = openMemoryProfile('warroom-team-memory-');
  });
  afterEach(() => profile.close());

  it("members share findings in the team's namespace; the project gets the synthesis with the task tree", async () => {
    const llm = new ScriptedLlm(script);
    const { engine, events } = createHarness({ llm, store: profile.runStore, memory: profile.memory.store, roles });

    const run = await engine.wait(
      engine.start({ workflow: teamFlow(), inputs: { goal: 'connect payments' }, projectDir: profile.projectDir }).id,
    );

    expect(run.status).toBe('completed');
    // The coder found the researcher's note through memory_search.
    const coderAnswer = llm.calls.find((request) => roleOf(request) === 'coder' && turnOf(request) === 1);
    expect(coderAnswer && String(lastResult(coderAnswer))).toContain('port 8443');

    // The raw note lives in the team's run-scoped namespace, not in the project's.
    const teamScope = eventsOfType(events(run.id), 'team.task.created')[0]?.data.scope ?? '';
    expect(teamScope).not.toBe('');
    const teamNs = teamNamespace(run.id, teamScope);
    expect(profile.memory.store.list({ namespaces: [teamNs] }).items.map((item) => item.text)).toEqual([FINDING]);
    const project = profile.memory.store.list({ namespaces: ['shop'] }).items;
    expect(project.map((item) => item.text)).not.toContain(FINDING);

    // What the team learned is synthesized from its task tree and findings…
    const teamRequest = llm.calls.find(isTeamSynthesis);
    const teamPrompt = teamRequest ? promptOf(teamRequest) : '';
    expect(teamPrompt).toContain('[researcher] find the port');
    expect(teamPrompt).toContain('[coder] wire the client');
    expect(teamPrompt).toContain(FINDING);
    // …and stored in the project with the team node and its task tree as provenance.
    const learned = project.find((item) => item.text.startsWith('The team found'));
    expect(learned?.provenance).toEqual({ runId: run.id, nodeId: 'crew' });
    const team = TeamMemoryProvenanceSchema.parse(learned?.metadata.team);
    expect(team.nodeId).toBe('crew');
    expect(team.tasks.map((task) => [task.taskId, task.parentId, task.role, task.status])).toEqual([
      ['1', null, 'coordinator', 'completed'],
      ['1.1', '1', 'researcher', 'completed'],
      ['1.2', '1', 'coder', 'completed'],
    ]);
    const decision = project.find((item) => item.kind === 'decision');
    expect(decision?.text).toBe('Talk to the payments API through the internal proxy on 8443');
    expect(TeamMemoryProvenanceSchema.parse(decision?.metadata.team).tasks).toHaveLength(3);
    // The run's own synthesis is still made, apart from the team's.
    expect(project.some((item) => item.text === 'Connected the shop to the payments API.')).toBe(true);

    const synthesized = eventsOfType(events(run.id), 'memory.synthesized');
    expect(synthesized.map((event) => [event.nodeId, event.data.scope ?? null])).toEqual([
      [null, null],
      ['crew', teamScope],
    ]);
    const purposes = eventsOfType(events(run.id), 'llm.usage').flatMap((event) =>
      event.data.purpose ? [event.data.purpose] : [],
    );
    expect(purposes).toEqual(['memory synthesis', 'team memory synthesis']);
  });

  it('a project search outside the team sees what the team learned, not its raw notes', async () => {
    const llm = new ScriptedLlm(script);
    const { engine } = createHarness({ llm, store: profile.runStore, memory: profile.memory.store, roles });
    await engine.wait(
      engine.start({ workflow: teamFlow(), inputs: { goal: 'connect payments' }, projectDir: profile.projectDir }).id,
    );

    const hits = await profile.memory.store.search('payments port 8443', { namespaces: ['shop', 'global'] });

    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((hit) => hit.item.text)).not.toContain(FINDING);
    expect(hits.every((hit) => hit.item.namespace === 'shop')).toBe(true);
  });

  it('replays with zero model calls and the same memory events', async () => {
    const llm = new ScriptedLlm(script);
    const { engine, events } = createHarness({ llm, store: profile.runStore, memory: profile.memory.store, roles });
    const original = await engine.wait(
      engine.start({ workflow: teamFlow(), inputs: { goal: 'connect payments' }, projectDir: profile.projectDir }).id,
    );
    const calls = llm.calls.length;
    const stored = profile.memory.store.list({ namespaces: ['shop'] }).total;

    const replay = await engine.wait(engine.replay(original.id).id);

    expect(replay.status).toBe('completed');
    expect(llm.calls).toHaveLength(calls);
    const memoryEvents = (runId: string) =>
      events(runId)
        .filter((event) => event.type.startsWith('memory.'))
        .map((event) => ({ type: event.type, nodeId: event.nodeId, data: event.data }));
    expect(memoryEvents(replay.id)).toEqual(memoryEvents(original.id));
    expect(profile.memory.store.list({ namespaces: ['shop'] }).total).toBe(stored);
  });

  it('a team whose members store nothing adds no team synthesis', async () => {
    const quiet = new ScriptedLlm((request) =>
      roleOf(request) === 'researcher' ? { text: 'nothing worth keeping' } : script(request),
    );
    const { engine } = createHarness({ llm: quiet, store: profile.runStore, memory: profile.memory.store, roles });
    const run = await engine.wait(
      engine.start({ workflow: teamFlow(), inputs: { goal: 'connect payments' }, projectDir: profile.projectDir }).id,
    );
    expect(run.status).toBe('completed');
    expect(quiet.calls.filter(isTeamSynthesis)).toHaveLength(0);
    expect(quiet.calls.filter(isSynthesis)).toHaveLength(1);
  });
});
