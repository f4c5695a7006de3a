import { CodeConfigSchema } from '@shared/node-kinds';
import { SandboxUnavailableError, type SandboxExecResult, type SandboxLanguage } from '../../sandbox/port';
import { auditSandboxExecution } from '../audit-records';
import type { NodeContext } from '../node-kind';
import { streamConsole } from './console-stream';
import { defineNode } from './define-node';

/** How much of each stream the event carries: the whole output stays in the journal. */
const OUTPUT_TAIL_CHARS = 4000;

/** Code only ever runs in the sandbox: without one the node fails, it never falls back to the host. */
export const codeNode = defineNode('code', CodeConfigSchema, async (context, inputs) => {
  const sandbox = context.sandbox;
  if (!sandbox) {
    throw new SandboxUnavailableError(
      'sandbox unavailable: code nodes run only in the Docker sandbox, and none is configured (see `warroom doctor`)',
    );
  }
  const { language, code } = context.config;
  const stdin = JSON.stringify(inputs.values.in ?? null);
  // One folder per execution, so a loop's iterations never overwrite each other's files.
  const artifactsFolder = `code/${context.scope}`;
  const result = await context.journaled('tool', { code, language, stdin }, async () => {
    // Only a real execution streams: a journaled result (resume, replay) has its console in `sandbox.executed`.
    context.emit('sandbox.started', { language });
    const output = streamConsole((stream, text) => context.emit('sandbox.output', { stream, text }));
    try {
      const execution = await sandbox.execute(
        { language, code, stdin, workspaceDir: context.projectDir },
        {
          signal: context.signal,
          onOutput: output.write,
          runArtifacts: { runId: context.runId, folder: artifactsFolder },
        },
      );
      auditSandboxExecution(context, language, code, execution);
      // Redacted before it is journaled: the output becomes events, the node's output and others' prompts.
      const { stdout, stderr } = await context.redactor.redactDeep({
        stdout: execution.stdout,
        stderr: execution.stderr,
      });
      return { ...execution, stdout, stderr };
    } finally {
      output.end();
    }
  });
  reportExecution(context, language, result);
  if (result.termination !== 'exited' || result.exitCode !== 0) {
    throw new Error(
      `code ${result.termination === 'exited' ? `exited with ${result.exitCode}` : result.termination}: ${result.stderr.slice(-2000)}`,
    );
  }
  try {
    return { out: JSON.parse(result.stdout) as unknown };
  } catch {
    return { out: { stdout: result.stdout, stderr: result.stderr } };
  }
});

/**
 * Artifacts are reported without their host path (where the host keeps a copy is no business of the event
 * log), only with where `runs.artifact` finds them in the run's folder.
 */
function reportExecution(context: NodeContext, language: SandboxLanguage, result: SandboxExecResult): void {
  context.emit('sandbox.executed', {
    language,
    exitCode: result.exitCode,
    termination: result.termination,
    durationMs: result.durationMs,
    stdoutTail: result.stdout.slice(-OUTPUT_TAIL_CHARS),
    stderrTail: result.stderr.slice(-OUTPUT_TAIL_CHARS),
    truncated: result.truncated,
    artifacts: result.artifacts.map(({ path, sizeBytes, mediaType, stored }) => ({
      path,
      sizeBytes,
      mediaType,
      ...(stored === undefined ? {} : { stored }),
    })),
  });
}
