import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunEngine } from '../engine/engine';
import { MemoryRunStore } from '../engine/testing/memory-run-store';
import { ScriptedLlm } from '../engine/testing/scripted-llm';
import { buildWorkflow } from '../engine/testing/workflow-builder';
import type { SandboxRunner } from '../sandbox/port';
import { SecretRedactor } from './redactor';
import { randomText } from './testing/generated-secrets';

/** The nodes that bring outside text into a run without a model in between: code (sandbox output) and tool nodes. */
describe('redaction of code and tool nodes', () => {
  let projectDir: string;
  const key = `sk-ant-api03-${randomText(93)}AA`;
  beforeEach(() => {
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-node-redaction-'));
    fs.writeFileSync(path.join(projectDir, 'config.ts'), `export const key = '${key}';\n`);
  });
  afterEach(() => fs.rmSync(projectDir, { recursive: true, force: true }));

  function engineWith(sandbox: SandboxRunner) {
    const store = new MemoryRunStore();
    const engine = new RunEngine({
      store,
      llm: () => new ScriptedLlm(),
      defaultModel: () => 'claude-test',
      maxConcurrency: () => 2,
      defaultBudget: () => ({}),
      sandbox,
      redactor: new SecretRedactor({ knownSecrets: () => [] }),
    });
    const everything = (runId: string) =>
      JSON.stringify([store.readEvents(runId, 0, 1_000_000), store.listJournal(runId), engine.get(runId)]);
    return { engine, store, everything };
  }

  it('redacts sandbox output and a read file before they are journaled, recorded or passed on', async () => {
    const sandbox: SandboxRunner = {
      execute: () =>
        Promise.resolve({
          exitCode: 0,
          termination: 'exited',
          stdout: JSON.stringify({ found: key }),
          stderr: `warning: key ${key} is exposed`,
          truncated: { stdout: 0, stderr: 0 },
          durationMs: 5,
          artifacts: [],
        }),
    };
    const workflow = buildWorkflow(
      [
        ['task', 'input', { name: 'task' }],
        ['script', 'code', { language: 'node', code: 'print()' }],
        ['file', 'tool', { tool: 'read_file', args: { path: 'config.ts' } }],
        ['fromScript', 'output', { name: 'fromScript' }],
        ['fromFile', 'output', { name: 'fromFile' }],
      ],
      [
        'task.value -> script.in',
        'task.value -> file.in',
        'script.out -> fromScript.value',
        'file.out -> fromFile.value',
      ],
    );
    const { engine, everything } = engineWith(sandbox);
    const run = await engine.wait(engine.start({ workflow, projectDir, inputs: { task: 'go' } }).id);
    expect(run.status).toBe('completed');
    expect(run.outputs).toEqual({
      fromScript: { found: '[REDACTED:anthropic]' },
      fromFile: "export const key = '[REDACTED:anthropic]';\n",
    });
    const recorded = everything(run.id);
    expect(recorded).toContain('warning: key [REDACTED:anthropic] is exposed');
    expect(recorded).not.toContain(key);
  });
});
