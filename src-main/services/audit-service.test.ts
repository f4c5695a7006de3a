import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@shared/audit';
import type { WarRoom } from '../app';
import { branchWorkflow, chainWorkflow } from '../engine/testing/workflow-builder';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../llm/testing/fake-anthropic-server';
import { requireDockerEngine } from '../sandbox/testing/sandbox-fixture';
import { createAppWithFakeModel } from '../testing/test-app';
import { makeTempProfile } from '../testing/temp-profile';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The app as every host wires it, its agents on the real SDK against the fake Messages API. */
describe('the audit log of a running app', () => {
  let server: FakeAnthropicServer;
  let profileDir: string;
  let projectDir: string;
  let app: WarRoom;

  beforeEach(async () => {
    server = await startFakeAnthropicServer();
    profileDir = makeTempProfile('warroom-audit-app-');
    projectDir = path.join(profileDir, 'project');
    fs.mkdirSync(projectDir);
    app = createAppWithFakeModel(profileDir, server.url);
  });
  afterEach(async () => {
    await app.sandbox.close();
    app.close();
    await server.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  const entriesOf = (runId: string): AuditEntry[] => app.audit.list({ runId }).entries;

  it("records an agent's file reads and writes with their hashes, and nothing again on replay", async () => {
    fs.writeFileSync(path.join(projectDir, 'seed.txt'), 'seed contents\n');
    // One tool per turn, so the entries' order is the agent's.
    const turns = [
      { name: 'read_file', input: { path: 'seed.txt' } },
      { name: 'write_file', input: { path: 'out/notes.md', content: 'written by the agent' } },
      { name: 'list_files', input: { path: 'out' } },
    ];
    server.setScript((_request, index) => {
      const toolUse = turns[index];
      return toolUse ? { toolUses: [toolUse] } : { text: 'done' };
    });
    const workflow = chainWorkflow([
      ['coder', 'agent', { prompt: 'Work on {{in}}', tools: ['read_file', 'write_file', 'list_files'] }],
    ]);
    const run = await app.runs.wait(app.runs.start({ workflow, projectDir, inputs: { task: 't' } }).id);
    expect(run.status).toBe('completed');
    expect(fs.readFileSync(path.join(projectDir, 'out/notes.md'), 'utf8')).toBe('written by the agent');

    const recorded = entriesOf(run.id);
    expect(recorded.map(({ kind, nodeId, actor, details }) => ({ kind, nodeId, actor, details }))).toEqual([
      {
        kind: 'file.read',
        nodeId: 'coder',
        actor: 'agent',
        details: { path: 'seed.txt', bytes: 14, sha256: sha256('seed contents\n') },
      },
      {
        kind: 'file.write',
        nodeId: 'coder',
        actor: 'agent',
        details: { path: path.join('out', 'notes.md'), bytes: 20, sha256: sha256('written by the agent') },
      },
      {
        kind: 'file.list',
        nodeId: 'coder',
        actor: 'agent',
        details: { path: 'out', entries: 1, sha256: sha256('notes.md') },
      },
    ]);

    const total = app.audit.verify();
    const replay = await app.runs.wait(app.runs.replay(run.id).id);
    expect(replay.status).toBe('completed');
    expect(entriesOf(replay.id)).toEqual([]);
    expect(app.audit.verify()).toEqual(total);
    // The three above and the test app's settings change made before the run.
    expect(total).toMatchObject({ intact: true, count: 4 });
  });

  it('records approval decisions as the person who made them', async () => {
    const workflow = branchWorkflow(['gate', 'approval', { prompt: 'Ship it?' }], [['approved', 'result']]);
    const run = app.runs.start({ workflow, projectDir, inputs: { task: 'v1' } });
    for (let attempt = 0; app.runs.get(run.id).status !== 'waiting'; attempt++) {
      if (attempt > 200) throw new Error('the run never waited for approval');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    app.runs.approve(run.id, 'gate', { decision: 'reject', reason: 'not yet' });
    await app.runs.wait(run.id);
    expect(entriesOf(run.id)).toMatchObject([
      { kind: 'approval.decided', nodeId: 'gate', actor: 'user', details: { decision: 'reject' } },
    ]);
    // The reason is the person's free text: the log keeps the decision only.
    expect(JSON.stringify(entriesOf(run.id))).not.toContain('not yet');
  });

  it(
    'records a sandbox execution with its image, code hash, exit code and duration',
    async () => {
      await requireDockerEngine();
      const code = 'import sys\nprint("{}")\nsys.exit(3)';
      const workflow = chainWorkflow([['script', 'code', { language: 'python', code }]]);
      const run = await app.runs.wait(app.runs.start({ workflow, projectDir, inputs: { task: 't' } }).id);
      expect(run.status).toBe('failed');
      const [entry, ...rest] = entriesOf(run.id);
      expect(rest).toEqual([]);
      expect(entry).toMatchObject({
        kind: 'sandbox.exec',
        nodeId: 'script',
        actor: 'agent',
        details: {
          language: 'python',
          image: app.sandbox.images.tagFor('python'),
          codeSha256: sha256(code),
          exitCode: 3,
          termination: 'exited',
        },
      });
      expect(entry?.details.durationMs).toBeGreaterThan(0);
    },
    10 * 60_000,
  );

  it('exports the filtered entries as JSON and as CSV', async () => {
    app.audit.record({
      kind: 'settings.changed',
      runId: null,
      nodeId: null,
      actor: 'user',
      details: { fields: ['llm.model'] },
    });
    app.audit.record({
      kind: 'workflow.imported',
      runId: null,
      nodeId: null,
      actor: 'cli',
      details: { workflowId: 'wf', name: 'A "quoted", name', bytes: 10, sha256: sha256('x'), fileName: null },
    });
    const now = new Date('2026-11-21T12:00:00Z');
    const json = app.audit.export({ kinds: ['workflow.imported'] }, 'json', now);
    expect(json).toMatchObject({ count: 1, mediaType: 'application/json' });
    expect(json.fileName).toMatch(/^warroom-audit-2026-11-21T12-00-00-000Z\.json$/);
    expect((JSON.parse(json.text) as AuditEntry[]).map((entry) => entry.kind)).toEqual(['workflow.imported']);

    const csv = app.audit.export({}, 'csv', now);
    const lines = csv.text.trimEnd().split('\r\n');
    // The test app's settings change comes first; the two above are the last.
    expect(lines[0]).toBe('seq,at,kind,runId,nodeId,actor,details,prevHash,hash');
    expect(lines.at(-1)).toContain('"{""workflowId"":""wf"",""name"":""A \\""quoted\\"", name""');
    expect(csv.count).toBe(lines.length - 1);
  });

  it('refuses details a kind does not declare', () => {
    expect(() =>
      app.audit.record({
        kind: 'file.read',
        runId: null,
        nodeId: null,
        actor: 'cli',
        details: { path: 'a', bytes: -1, sha256: 'nope' },
      }),
    ).toThrow();
    expect(app.audit.list({ kinds: ['file.read'] }).entries).toEqual([]);
  });
});
