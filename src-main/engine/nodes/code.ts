import { CodeConfigSchema } from '@shared/node-kinds';
import { SandboxUnavailableError } from '../../sandbox/port';
import { defineNode } from './define-node';

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
  const result = await context.journaled('tool', { code, language, stdin }, () =>
    sandbox.execute({ language, code, stdin, workspaceDir: context.projectDir }, { signal: context.signal }),
  );
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
