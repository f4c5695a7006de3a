import fs from 'node:fs';
import path from 'node:path';
import type { RunEventOf } from '@shared/run-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSandbox, requireDockerEngine } from './testing/sandbox-fixture';
import { runArtifactsDir } from '../profile';
import { RunArtifactReader } from '../services/run-artifacts/run-artifacts';
import { NO_REDACTION } from '../privacy/port';
import { createHarness } from '../engine/testing/engine-harness';
import { BUILT_IN_TOOL_IMPLEMENTATIONS } from '../engine/tools';
import { buildWorkflow } from '../engine/testing/workflow-builder';

// A real 1×1 PNG, so the bytes are an image and not just a name.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const program = [
  'import base64, json, os',
  `open("/out/dot.png", "wb").write(base64.b64decode("${PNG_BASE64}"))`,
  'os.makedirs("/out/tables")',
  'open("/out/tables/rows.csv", "w").write("n,square\\n1,1\\n2,4\\n")',
  'print(json.dumps({"ok": True}))',
].join('\n');

const workflow = buildWorkflow(
  [
    ['n', 'input', { name: 'n' }],
    ['plot', 'code', { language: 'python', code: program }],
    ['result', 'output', { name: 'result' }],
  ],
  ['n.value -> plot.in', 'plot.out -> result.value'],
);

describe('code node artifacts (real Docker)', () => {
  const fixture = createTestSandbox();
  beforeAll(requireDockerEngine);
  afterAll(() => fixture.cleanup());

  it("copies what the program writes to /out into the run's artifacts folder and lists it in the event", async () => {
    const { runToEnd, events } = createHarness({ sandbox: fixture.sandbox });
    const run = await runToEnd(workflow, { n: 1 });
    expect(run.status).toBe('completed');
    expect(run.outputs).toEqual({ result: { ok: true } });

    const executed = events(run.id).find(
      (event): event is RunEventOf<'sandbox.executed'> => event.type === 'sandbox.executed',
    );
    expect(executed?.data.artifacts).toEqual([
      { path: 'dot.png', sizeBytes: 70, mediaType: 'image/png', stored: 'code/plot_1/dot.png' },
      { path: 'tables/rows.csv', sizeBytes: 17, mediaType: 'text/csv', stored: 'code/plot_1/tables/rows.csv' },
    ]);
    const folder = runArtifactsDir(fixture.profileDir, run.id);
    expect(fs.readFileSync(path.join(folder, 'code', 'plot_1', 'dot.png')).toString('base64')).toBe(PNG_BASE64);
    expect(fs.readFileSync(path.join(folder, 'code', 'plot_1', 'tables', 'rows.csv'), 'utf8')).toBe(
      'n,square\n1,1\n2,4\n',
    );

    // What the run view asks for is exactly what the event names.
    const reader = new RunArtifactReader(fixture.profileDir, NO_REDACTION);
    const image = await reader.read(run.id, executed?.data.artifacts[0]?.stored ?? '');
    expect(image).toMatchObject({ mediaType: 'image/png', base64: PNG_BASE64, sizeBytes: 70 });
  }, 120_000);

  it("keeps what an agent's run_code call writes to /out in the run's folder, and tells the agent", async () => {
    const output = await BUILT_IN_TOOL_IMPLEMENTATIONS.run_code.run(
      { language: 'python', code: 'open("/out/notes.txt", "w").write("kept")' },
      {
        projectDir: '/tmp',
        sandbox: fixture.sandbox,
        memory: null,
        scratchpad: new Map(),
        runId: 'run-tool',
        nodeId: 'coder',
        signal: new AbortController().signal,
        audit: null,
      },
    );
    const reply = JSON.parse(output) as { exitCode: number; artifacts: unknown[] };
    expect(reply.exitCode).toBe(0);
    expect(reply.artifacts).toEqual([{ path: 'notes.txt', sizeBytes: 4, mediaType: 'text/plain' }]);
    const callFolders = fs.readdirSync(path.join(runArtifactsDir(fixture.profileDir, 'run-tool'), 'run_code', 'coder'));
    expect(callFolders).toHaveLength(1);
    const kept = path.join(runArtifactsDir(fixture.profileDir, 'run-tool'), 'run_code', 'coder', callFolders[0] ?? '');
    expect(fs.readFileSync(path.join(kept, 'notes.txt'), 'utf8')).toBe('kept');
  }, 120_000);
});
