import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainWorkflow } from '../engine/testing/workflow-builder';
import { openDatabase } from '../store/database';
import { createAnthropicEngine } from '../testing/anthropic-engine';
import { LlmTimeoutError } from './idle-deadline';
import { OpenAiCompatibleProvider } from './openai-compatible-provider';
import type { LlmRequest } from './port';
import { useFakeAnthropic } from './testing/fake-anthropic-fixture';
import { startFakeAnthropicServer, type FakeAnthropicServer } from './testing/fake-anthropic-server';

/**
 * Model faults through the real SDK against the fake Messages API: every one is either retried within its
 * limit (the requests are counted at the fake) or fails with an error that says what happened — none hangs.
 */
const request: LlmRequest = {
  model: 'claude-sonnet-4-6',
  system: 'You are terse.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'read the notes' }] }],
  tools: [{ name: 'read_file', description: 'read', inputSchema: { type: 'object', properties: {} } }],
  maxTokens: 256,
};

const readNotes = { id: 'toolu_notes', name: 'read_file', input: { path: 'notes/today.txt', lines: [1, 2, 3] } };

describe('model faults: the Anthropic adapter', () => {
  const fake = useFakeAnthropic();
  const provider = fake.provider;

  it('retries 500s within the SDK limit and returns the answer that follows', async () => {
    fake.server.setScript((_request, index) =>
      index < 2 ? { status: 500, retryAfterSeconds: 0.01 } : { text: 'fine' },
    );
    const response = await provider({ maxRetries: 2 }).complete(request);
    expect(response.content).toEqual([{ type: 'text', text: 'fine' }]);
    expect(fake.server.requests).toHaveLength(3);
  });

  it('stops after the retry limit on persistent 500s with an error naming the status', async () => {
    fake.server.setScript(() => ({ status: 500, retryAfterSeconds: 0.01, message: 'Internal server error' }));
    await expect(provider({ maxRetries: 2 }).complete(request)).rejects.toThrow(
      /Anthropic API error 500: .*Internal server error/,
    );
    expect(fake.server.requests).toHaveLength(3);
  });

  it('waits as long as retry-after says on 529 overloaded', async () => {
    fake.server.setScript((_request, index) =>
      index === 0 ? { status: 529, retryAfterSeconds: 1 } : { text: 'later' },
    );
    const response = await provider().complete(request);
    expect(response.content).toEqual([{ type: 'text', text: 'later' }]);
    const [first, second] = fake.server.requests;
    expect(fake.server.requests).toHaveLength(2);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('asks again when the stream is cut in the middle of a tool input, and gets the whole input', async () => {
    fake.server.setScript((_request, index) => ({ toolUses: [readNotes], cutInToolInput: index === 0 }));
    const response = await provider().complete(request);
    expect(response.content).toEqual([{ type: 'tool_use', ...readNotes }]);
    expect(response.stopReason).toBe('tool_use');
    expect(fake.server.requests).toHaveLength(2);
  });

  it('fails with a clear error when every stream is cut in a tool input', async () => {
    fake.server.setScript(() => ({ toolUses: [readNotes], cutInToolInput: true }));
    await expect(provider({ maxStreamRetries: 1 }).complete(request)).rejects.toThrow(
      /^The Anthropic API's answer broke off mid-stream/,
    );
    expect(fake.server.requests).toHaveLength(2);
  });

  it('asks again when a tool input is not JSON, and uses the next valid answer', async () => {
    fake.server.setScript((_request, index) => ({ toolUses: [readNotes], malformedToolJson: index === 0 }));
    const response = await provider().complete(request);
    expect(response.content).toEqual([{ type: 'tool_use', ...readNotes }]);
    expect(fake.server.requests).toHaveLength(2);
  });

  it('names the tool and shows the bad JSON when tool inputs stay malformed', async () => {
    fake.server.setScript(() => ({ text: 'Reading.', toolUses: [readNotes], malformedToolJson: true }));
    const failure = provider({ maxStreamRetries: 2 }).complete(request);
    await expect(failure).rejects.toThrow(
      /the model's input for tool "read_file" is not valid JSON \(.+\): \{"path": notes/,
    );
    expect(fake.server.requests).toHaveLength(3);
  });

  it('gives up on a server that never answers after the idle timeout, naming it', async () => {
    fake.server.setScript(() => ({ neverAnswer: true }));
    const started = Date.now();
    const failure = provider({ idleTimeoutMs: 1000, maxStreamRetries: 1 }).complete(request);
    await expect(failure).rejects.toThrow(LlmTimeoutError);
    await expect(failure).rejects.toThrow(
      'the Anthropic API sent nothing for 1 s (the model request timeout), 2 attempts',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(fake.server.requests).toHaveLength(2);
  });

  it('asks again after a silent try and returns the answer of the next one', async () => {
    fake.server.setScript((_request, index) => (index === 0 ? { neverAnswer: true } : { text: 'awake' }));
    const response = await provider({ idleTimeoutMs: 1000 }).complete(request);
    expect(response.content).toEqual([{ type: 'text', text: 'awake' }]);
    expect(fake.server.requests).toHaveLength(2);
  });

  it('does not cut an answer that keeps streaming for longer than the idle timeout', async () => {
    // Six text pieces 300 ms apart: about 2.5 s in all, never 1 s without an event.
    fake.server.setScript(() => ({ text: 'slow but steady answer', chunkDelayMs: 300 }));
    const response = await provider({ idleTimeoutMs: 1000, maxStreamRetries: 0 }).complete(request);
    expect(response.content).toEqual([{ type: 'text', text: 'slow but steady answer' }]);
    expect(fake.server.requests).toHaveLength(1);
  });

  it('stops waiting for a silent server as soon as the caller aborts', async () => {
    fake.server.setScript(() => ({ neverAnswer: true }));
    const controller = new AbortController();
    const failure = provider({ idleTimeoutMs: 60_000 }).complete(request, { signal: controller.signal });
    while (fake.server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(failure).rejects.toThrow(/abort/i);
    await expect(failure).rejects.not.toThrow(LlmTimeoutError);
    expect(fake.server.requests).toHaveLength(1);
  });
});

describe('model faults: the OpenAI-compatible adapter', () => {
  let server: http.Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    return new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  /** A local endpoint that reads each request and never answers it. */
  const silentEndpoint = async () => {
    const received: number[] = [];
    server = http.createServer((req) => {
      req.resume();
      req.on('end', () => received.push(Date.now()));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, received };
  };

  it('gives up on an endpoint that never answers after the idle timeout, naming it', async () => {
    const { url, received } = await silentEndpoint();
    const provider = new OpenAiCompatibleProvider({ baseUrl: url, idleTimeoutMs: 1000, maxRetries: 1 });
    await expect(provider.complete(request)).rejects.toThrow(
      `the local model endpoint ${url} sent nothing for 1 s (the model request timeout), 2 attempts`,
    );
    expect(received).toHaveLength(2);
  });

  it('stops waiting as soon as the caller aborts', async () => {
    const { url, received } = await silentEndpoint();
    const provider = new OpenAiCompatibleProvider({ baseUrl: url, idleTimeoutMs: 60_000 });
    const controller = new AbortController();
    const failure = provider.complete(request, { signal: controller.signal });
    while (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(failure).rejects.toThrow(/abort/i);
    expect(received).toHaveLength(1);
  });
});

describe('model faults: a run whose model never answers', () => {
  let server: FakeAnthropicServer;
  let workDir: string;
  let closeDb: () => void = () => {};
  beforeEach(async () => {
    server = await startFakeAnthropicServer(() => ({ neverAnswer: true }));
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-model-faults-'));
  });
  afterEach(async () => {
    closeDb();
    await server.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const startRun = (idleTimeoutMs: number) => {
    const { db } = openDatabase(path.join(workDir, 'warroom.db'));
    closeDb = () => db.close();
    const { engine } = createAnthropicEngine(db, server.url, { idleTimeoutMs, maxStreamRetries: 0 });
    const workflow = chainWorkflow([['ask', 'agent', { prompt: 'Answer: {{in}}' }]]);
    const run = engine.start({ workflow, projectDir: workDir, inputs: { task: 'anything' } });
    return { engine, run };
  };

  it('ends failed with the timeout in its error instead of hanging', async () => {
    const { engine, run } = startRun(1000);
    const finished = await engine.wait(run.id);
    expect(finished.status).toBe('failed');
    expect(finished.error).toContain('the Anthropic API sent nothing for 1 s (the model request timeout)');
    expect(server.requests).toHaveLength(1);
  });

  it('can be cancelled while it waits for the model', async () => {
    const { engine, run } = startRun(60_000);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    engine.cancel(run.id);
    const finished = await engine.wait(run.id);
    expect(finished.status).toBe('cancelled');
    expect(server.requests).toHaveLength(1);
  });
});
