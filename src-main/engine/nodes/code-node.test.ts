import type { RunEvent, RunEventOf } from '@shared/run-events';
import { describe, expect, it } from 'vitest';
import type { SandboxExecResult, SandboxRunner } from '../../sandbox/port';
import { createHarness, eventTypes } from '../testing/engine-harness';
import { buildWorkflow } from '../testing/workflow-builder';

const codeWorkflow = buildWorkflow(
  [
    ['n', 'input', { name: 'n' }],
    ['script', 'code', { language: 'node', code: 'process.stdout.write("…")' }],
    ['result', 'output', { name: 'result' }],
  ],
  ['n.value -> script.in', 'script.out -> result.value'],
);

function sandboxReturning(result: SandboxExecResult): SandboxRunner {
  return { execute: () => Promise.resolve(result) };
}

function sandboxEvents(events: RunEvent[]) {
  return events.filter((event): event is RunEventOf<'sandbox.executed'> => event.type === 'sandbox.executed');
}

describe('code node', () => {
  it('reports each execution as a sandbox.executed event with the tails of its output', async () => {
    const stdout = JSON.stringify({ text: `${'a'.repeat(1000)}${'b'.repeat(4000)}` });
    const stderr = `${'w'.repeat(10)}${'x'.repeat(4000)}`;
    const { runToEnd, events } = createHarness({
      sandbox: sandboxReturning({
        exitCode: 0,
        termination: 'exited',
        stdout,
        stderr,
        truncated: { stdout: 120, stderr: 0 },
        durationMs: 42,
        artifacts: [
          { path: 'plot.png', sizeBytes: 2048, mediaType: 'image/png', hostPath: '/host/artifacts/plot.png' },
        ],
      }),
    });

    const run = await runToEnd(codeWorkflow, { n: 1 });

    expect(run.status).toBe('completed');
    const started = events(run.id).find(
      (event): event is RunEventOf<'node.started'> => event.type === 'node.started' && event.nodeId === 'script',
    );
    const [executed, ...others] = sandboxEvents(events(run.id));
    expect(others).toEqual([]);
    expect(executed?.nodeId).toBe('script');
    expect(executed?.data).toEqual({
      scope: started?.data.scope,
      language: 'node',
      exitCode: 0,
      termination: 'exited',
      durationMs: 42,
      stdoutTail: stdout.slice(-4000),
      stderrTail: 'x'.repeat(4000),
      truncated: { stdout: 120, stderr: 0 },
      artifacts: [{ path: 'plot.png', sizeBytes: 2048, mediaType: 'image/png' }],
    });
    expect(executed?.data.stdoutTail).toHaveLength(4000);
  });

  it('streams the console while the program runs: a start, then its output as it arrives', async () => {
    const streaming: SandboxRunner = {
      execute: (_request, options) => {
        options?.onOutput?.('stdout', '{"ok":');
        options?.onOutput?.('stderr', 'warning\n');
        options?.onOutput?.('stdout', 'true}');
        return Promise.resolve({
          exitCode: 0,
          termination: 'exited',
          stdout: '{"ok":true}',
          stderr: 'warning\n',
          truncated: { stdout: 0, stderr: 0 },
          durationMs: 5,
          artifacts: [],
        });
      },
    };
    const { runToEnd, events } = createHarness({ sandbox: streaming });

    const run = await runToEnd(codeWorkflow, { n: 1 });

    expect(run.outputs).toEqual({ result: { ok: true } });
    const script = events(run.id).filter((event) => event.nodeId === 'script');
    expect(script.map((event) => event.type)).toEqual([
      'node.started',
      'sandbox.started',
      'sandbox.output',
      'sandbox.output',
      'sandbox.executed',
      'node.completed',
    ]);
    const output = script.flatMap((event) =>
      event.type === 'sandbox.output' ? [[event.data.stream, event.data.text]] : [],
    );
    expect(output).toEqual([
      ['stdout', '{"ok":true}'],
      ['stderr', 'warning\n'],
    ]);
  });

  it('reports a failing execution before the node fails', async () => {
    const { runToEnd, events } = createHarness({
      sandbox: sandboxReturning({
        exitCode: 3,
        termination: 'exited',
        stdout: '',
        stderr: 'Traceback: boom',
        truncated: { stdout: 0, stderr: 0 },
        durationMs: 7,
        artifacts: [],
      }),
    });

    const run = await runToEnd(codeWorkflow, { n: 1 });

    expect(run.status).toBe('failed');
    expect(run.error).toContain('code exited with 3: Traceback: boom');
    const scriptEvents = eventTypes(events(run.id), 'script');
    expect(scriptEvents.indexOf('sandbox.executed')).toBeGreaterThan(-1);
    expect(scriptEvents.indexOf('sandbox.executed')).toBeLessThan(scriptEvents.indexOf('node.failed'));
    expect(sandboxEvents(events(run.id))[0]?.data).toMatchObject({
      exitCode: 3,
      termination: 'exited',
      stdoutTail: '',
      stderrTail: 'Traceback: boom',
    });
  });
});
