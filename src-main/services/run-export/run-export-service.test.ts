import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunExportDocumentSchema } from '@shared/run-export';
import { parseWorkflowDocument } from '@shared/workflow';
import type { RunEngine } from '../../engine/engine';
import { RunNotFoundError } from '../../engine/errors';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { SecretRedactor } from '../../privacy/redactor';
import type { SqliteRunStore } from '../../store/run-repository';
import { openAnthropicWorkspace, type AnthropicWorkspace } from '../../testing/anthropic-engine';
import { RunExportService } from './run-export-service';

const SECRET = 'wr-test-7c1e9b3a5d2f4086';
const redactor = new SecretRedactor({ knownSecrets: () => [{ value: SECRET, label: 'secret:test' }] });
const workflow = { ...chainWorkflow([['writer', 'agent', { prompt: 'Write about {{in}}' }]]), name: 'Tea & biscuits' };

describe('RunExportService', () => {
  let workspace: AnthropicWorkspace;
  let engine: RunEngine;
  let service: RunExportService;

  beforeEach(async () => {
    // The model repeats the secret it was given: it must not reach an export from the events either.
    workspace = await openAnthropicWorkspace('warroom-export-', () => ({
      text: `noted ${SECRET}`,
      inputTokens: 12,
      outputTokens: 3,
    }));
    let store: SqliteRunStore;
    ({ engine, store } = workspace.openEngine());
    service = new RunExportService({ store, redactor, version: '9.9.9', now: () => new Date('2026-12-02T06:00:00Z') });
  });
  afterEach(() => workspace.close());

  const runToEnd = (task: string) =>
    engine.wait(engine.start({ workflow, projectDir: workspace.dir, inputs: { task } }).id);

  it('exports a run as a versioned JSON document of the run, its workflow and its events, redacted', async () => {
    const run = await runToEnd(`tea with ${SECRET}`);
    const file = await service.export(run.id, 'json');
    expect(file.fileName).toBe(`tea-biscuits-${run.id}.json`);
    expect(file.mediaType).toBe('application/json');
    expect(file.content).not.toContain(SECRET);

    const document = RunExportDocumentSchema.parse(JSON.parse(file.content));
    expect(document).toMatchObject({
      format: 'warroom.run-export',
      formatVersion: 1,
      exportedAt: '2026-12-02T06:00:00.000Z',
      exportedBy: 'War Room 9.9.9',
      fork: null,
    });
    expect(document.run).toMatchObject({
      id: run.id,
      status: 'completed',
      inputs: { task: 'tea with [REDACTED:secret:test]' },
    });
    expect(document.events.map((event) => event.type)).toContain('node.completed');
    expect(document.events.at(-1)?.type).toBe('run.completed');
    const parsed = parseWorkflowDocument(document.workflow);
    expect(parsed.ok && parsed.workflow.nodes.map((node) => node.id)).toEqual(['task', 'writer', 'result']);
  });

  it('exports a run as one HTML report with its nodes and transcripts, redacted', async () => {
    const run = await runToEnd(`tea with ${SECRET}`);
    const file = await service.export(run.id, 'html');
    expect(file).toMatchObject({ fileName: `tea-biscuits-${run.id}.html`, mediaType: 'text/html; charset=utf-8' });
    expect(file.content).not.toContain(SECRET);
    expect(file.content).toMatch(/^<!doctype html>/);
    expect(file.content).toContain('<title>Tea &amp; biscuits — run');
    expect(file.content).toMatch(/<tr data-node="writer">/);
    expect(file.content).toContain('<pre class="transcript-text">noted [REDACTED:secret:test]</pre>');
  });

  it('names a run that does not exist', async () => {
    await expect(service.export('nope', 'html')).rejects.toBeInstanceOf(RunNotFoundError);
  });
});
