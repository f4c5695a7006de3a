import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '@shared/run-events';
import type { WarRoom } from '../app';
import { chainWorkflow } from '../engine/testing/workflow-builder';
import {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
  type FakeReply,
} from '../llm/testing/fake-anthropic-server';
import { apiClientOf, createAppWithFakeModel } from '../testing/test-app';
import { generateSecrets, randomText } from './testing/generated-secrets';

/** Every file of a directory tree, as text (the profile: database, its WAL, logs, secrets files). */
function everyFileUnder(directory: string): string {
  return fs
    .readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

const reader = chainWorkflow(
  [['agent', 'agent', { prompt: 'Review {{in}}', tools: ['read_file', 'memory_store'], maxTurns: 5 }]],
  'privacy-reader',
);

/**
 * A new user's project holds API keys: an agent reads them through its file tools against the fake
 * Anthropic API (the real SDK), and nothing War Room sends, records, stores, exports or serves carries them.
 */
describe('secrets across every boundary', () => {
  let dir: string;
  let project: string;
  let profile: string;
  let server: FakeAnthropicServer;
  let app: WarRoom;
  const key = `sk-ant-api03-${randomText(93)}AA`;
  const envKey = `sk-proj-${randomText(74)}T3BlbkFJ${randomText(74)}`;
  const inputKey = `ghp_${randomText(36)}`;
  const secrets = generateSecrets();
  const fileSecrets = [key, ...secrets.map((secret) => secret.secret)];

  /** Reads config.ts and .env, stores the key in memory, then answers. */
  const script = (_request: unknown, index: number): FakeReply => {
    if (index === 0) {
      return {
        toolUses: [
          { id: 't1', name: 'read_file', input: { path: 'config.ts' } },
          { id: 't2', name: 'read_file', input: { path: '.env' } },
        ],
      };
    }
    if (index === 1) return { toolUses: [{ id: 't3', name: 'memory_store', input: { text: `the key is ${key}` } }] };
    return { text: 'Reviewed.' };
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-privacy-'));
    project = path.join(dir, 'project');
    profile = path.join(dir, 'profile');
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'config.ts'),
      `export const anthropicKey = '${key}';\n${secrets.map((secret) => secret.text).join('\n')}\n`,
    );
    fs.writeFileSync(path.join(project, '.env'), `OPENAI_API_KEY=${envKey}\n`);
    server = await startFakeAnthropicServer(script);
    app = createAppWithFakeModel(profile, server.url);
  });
  afterEach(async () => {
    app.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const noSecretIn = (text: string, also: readonly string[] = []) => {
    for (const secret of [...fileSecrets, envKey, inputKey, ...also]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
  };

  it('keeps them from the model, the events, the journal, memory, exports and the API', async () => {
    const client = apiClientOf(app);
    const run = await client.runs.start({
      workflow: reader,
      projectDir: project,
      inputs: { task: `repo ${inputKey}` },
    });
    const finished = await app.runs.wait(run.id);
    expect(finished.status).toBe('completed');
    expect(finished.outputs).toEqual({ result: 'Reviewed.' });

    const sent = JSON.stringify(server.requests.map((request) => request.body));
    expect(server.requests).toHaveLength(3);
    noSecretIn(sent);
    expect(sent).toContain('[REDACTED:anthropic]');
    expect(sent).toContain('[REDACTED:github]');
    expect(sent).toContain('\\".env\\" is refused: it is an environment file');

    noSecretIn(JSON.stringify(app.runs.eventsSoFar(run.id)));
    const streamed: RunEvent[] = [];
    for await (const event of await client.runs.events({ runId: run.id, afterSeq: 0, follow: false })) {
      streamed.push(event);
    }
    expect(streamed.map((event) => event.type)).toContain('tool.result');
    noSecretIn(JSON.stringify(streamed));
    noSecretIn(JSON.stringify(await client.runs.get({ runId: run.id })));

    const stored = app.memory.store.list({ limit: 50 }).items;
    expect(stored.map((item) => item.text)).toEqual(['the key is [REDACTED:anthropic]']);

    const replay = await app.runs.wait(app.runs.replay(run.id).id);
    expect(replay.status).toBe('completed');
    expect(replay.outputs).toEqual(finished.outputs);
    expect(server.requests).toHaveLength(3);

    const ingest = await app.memory.ingest({ root: project });
    expect(ingest.skipped).toContainEqual({
      path: '.env',
      reason: 'sensitive',
      detail: 'environment file: holds secrets, never stored in memory',
    });
    expect(ingest.filesIndexed).toBe(1);
    noSecretIn((await client.memory.export({})).jsonLines);

    // The journal, the events, memory, the audit log (the database and its WAL): no byte of the profile holds one.
    noSecretIn(everyFileUnder(profile));

    // A key pasted into a workflow is the user's to keep; a shared export of it is not.
    const saved = app.workflows.save(
      chainWorkflow([['agent', 'agent', { prompt: `Deploy with ${key}` }]], 'privacy-pasted-key'),
    );
    const exported = await client.workflows.export({ id: saved.id });
    noSecretIn(exported.json);
    expect(JSON.parse(exported.json)).toMatchObject({
      nodes: [{}, { config: { prompt: 'Deploy with [REDACTED:anthropic]' } }, {}],
    });
  });

  it('reads a secret file the workflow allows, still redacted on its way', async () => {
    server.setScript((_request, index) =>
      index === 0 ? { toolUses: [{ id: 't1', name: 'read_file', input: { path: '.env' } }] } : { text: 'ok' },
    );
    const allowing = chainWorkflow(
      [['agent', 'agent', { prompt: 'Read {{in}}', tools: ['read_file'], allowSensitivePaths: ['.env'] }]],
      'privacy-allowed',
    );
    const run = await app.runs.wait(
      app.runs.start({ workflow: allowing, projectDir: project, inputs: { task: 'it' } }).id,
    );
    expect(run.status).toBe('completed');
    const sent = JSON.stringify(server.requests.at(-1)?.body);
    expect(sent).toContain('OPENAI_API_KEY=[REDACTED:openai]');
    noSecretIn(sent);
  });

  it('with privacy.redactToModel off, the model gets the file as it is and the records still do not', async () => {
    app.settings.update({ privacy: { redactToModel: false } });
    const run = await app.runs.wait(
      app.runs.start({ workflow: reader, projectDir: project, inputs: { task: 'the repo' } }).id,
    );
    expect(run.status).toBe('completed');
    const sent = JSON.stringify(server.requests.map((request) => request.body));
    expect(sent).toContain(key);
    const events = app.runs.eventsSoFar(run.id);
    const results = events.filter((event) => event.type === 'tool.result');
    expect(JSON.stringify(results)).toContain('[REDACTED:anthropic]');
    noSecretIn(JSON.stringify(events));
    noSecretIn(JSON.stringify(app.memory.store.list({ limit: 50 }).items));
  });

  it('takes a secret saved while the app runs out of model answers, events and outputs', async () => {
    const saved = randomText(40);
    app.secrets.set('localEndpointApiKey', saved);
    server.setScript(() => ({ text: `The local key is ${saved}.` }));
    const echo = chainWorkflow([['agent', 'agent', { prompt: 'Say {{in}}' }]], 'privacy-echo');
    const run = await app.runs.wait(app.runs.start({ workflow: echo, projectDir: project, inputs: { task: 'it' } }).id);
    expect(run.outputs).toEqual({ result: 'The local key is [REDACTED:secret:localEndpointApiKey].' });
    noSecretIn(JSON.stringify(app.runs.eventsSoFar(run.id)), [saved]);
    app.close();
    // Only the secret store itself holds it (base64-encoded, as the file always kept it).
    const profileText = everyFileUnder(profile);
    expect(profileText).not.toContain(saved);
  });
});
