import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunComparison } from '@shared/run-compare';
import type { WarRoom } from '../../app';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../llm/testing/fake-anthropic-server';
import { makeTempProfile } from '../../testing/temp-profile';
import { createAppWithFakeModel } from '../../testing/test-app';
import { compareCommand, exportCommand, formatLineDiff } from './run-report-command';

const workflow = chainWorkflow([['writer', 'agent', { prompt: 'Write about {{in}}' }]]);

describe('warroom runs compare / export', () => {
  let dir: string;
  let server: FakeAnthropicServer;
  let app: WarRoom;

  beforeEach(async () => {
    dir = makeTempProfile('warroom-run-report-cli-');
    // The answer names the task, so the two runs' outputs differ.
    server = await startFakeAnthropicServer((request) => ({
      text: JSON.stringify(request.body.messages[0]?.content).includes('tea') ? 'Tea is calm.' : 'Coffee wakes.',
    }));
    app = createAppWithFakeModel(path.join(dir, 'profile'), server.url);
  });
  afterEach(async () => {
    await app.runs.shutdown();
    app.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const runToEnd = (task: string) => app.runs.wait(app.runs.start({ workflow, projectDir: dir, inputs: { task } }).id);

  it('prints both runs per node, the divergence with a diff of both requests, and the outputs that differ', async () => {
    const tea = await runToEnd('tea');
    const coffee = await runToEnd('coffee');
    const { text } = await compareCommand(app, tea.id, coffee.id, { transcripts: true });
    const lines = text.split('\n');
    expect(lines[0]).toBe(`a: ${tea.id} (test-workflow, normal, completed, $${tea.usage.costUsd.toFixed(4)})`);
    expect(lines).toContainEqual(expect.stringMatching(/^writer +completed \/ completed +[\d.]+ s \/ [\d.]+ s/));
    expect(text).toContain('First divergence: writer#1 (memory), journal entry #1 of a, #1 of b');
    expect(lines).toContainEqual(expect.stringMatching(/^- .*Write about tea/));
    expect(lines).toContainEqual(expect.stringMatching(/^\+ .*Write about coffee/));
    expect(text).toContain('Output of writer:\n  out:\n- Tea is calm.\n+ Coffee wakes.');
    expect(text).toContain('Transcript of writer:\n- Tea is calm.\n+ Coffee wakes.');

    const json = JSON.parse((await compareCommand(app, tea.id, coffee.id, { json: true })).text) as RunComparison;
    expect(json.divergence?.nodeId).toBe('writer');
    const same = await compareCommand(app, tea.id, (await runToEnd('tea')).id, {});
    expect(same.text).toContain('No divergence: every request either run made, the other made too.');
    expect(same.text).not.toContain('Output of');
  });

  it('writes an export to a file, or prints it', async () => {
    const run = await runToEnd('tea');
    const target = path.join(dir, 'report.html');
    const written = await exportCommand(app, run.id, { format: 'html', output: target });
    expect(written.text).toMatch(/^Wrote .*report\.html \(\d+ KiB\)$/);
    expect(fs.readFileSync(target, 'utf8')).toMatch(/^<!doctype html>[\s\S]*Tea is calm\./);
    const printed = await exportCommand(app, run.id, { format: 'json' });
    expect(JSON.parse(printed.text)).toMatchObject({ format: 'warroom.run-export', run: { id: run.id } });
    await expect(exportCommand(app, 'missing', { format: 'json' })).rejects.toThrow('no run with id "missing"');
  });

  it('formats a line diff with - and + marks', () => {
    expect(formatLineDiff('a\nb\nend\n', 'a\nc\nend')).toEqual(['  a', '- b', '+ c', '  end']);
  });
});
