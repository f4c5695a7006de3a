import { createHash } from 'node:crypto';
import type { AuditRecorder } from '../store/port';
import type { SandboxExecResult } from '../sandbox/port';

/**
 * What the engine writes to the audit log, in one place. Each of these runs inside the work a journal
 * entry stands for (the tool call, the execution), so a resumed or replayed run — which reuses the
 * journaled result instead of doing the work — records nothing: the log says what happened on the machine.
 */
export interface AuditedAction {
  audit: AuditRecorder | null;
  /** The run and node of an agent's action; null for a person's (`warroom mcp call`). */
  runId: string | null;
  nodeId: string | null;
}

/** An agent acts within a run; anything else is a person acting through this process. */
const actorOf = (action: AuditedAction, audit: AuditRecorder) => (action.runId === null ? audit.humanActor : 'agent');

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export function auditFileAccess(
  action: AuditedAction,
  kind: 'file.read' | 'file.write',
  projectPath: string,
  content: Buffer,
): void {
  action.audit?.record({
    kind,
    runId: action.runId,
    nodeId: action.nodeId,
    actor: 'agent',
    details: { path: projectPath, bytes: content.byteLength, sha256: sha256(content) },
  });
}

export function auditListing(action: AuditedAction, projectPath: string, listing: string, entries: number): void {
  action.audit?.record({
    kind: 'file.list',
    runId: action.runId,
    nodeId: action.nodeId,
    actor: 'agent',
    details: { path: projectPath, entries, sha256: sha256(listing) },
  });
}

export function auditSandboxExecution(
  action: AuditedAction,
  language: string,
  code: string,
  result: SandboxExecResult,
): void {
  const { audit } = action;
  audit?.record({
    kind: 'sandbox.exec',
    runId: action.runId,
    nodeId: action.nodeId,
    actor: actorOf(action, audit),
    details: {
      language,
      image: audit.sandboxImage(language),
      codeSha256: sha256(code),
      exitCode: result.exitCode,
      termination: result.termination,
      durationMs: result.durationMs,
    },
  });
}

export function auditMcpCall(
  action: AuditedAction,
  call: { server: string; tool: string; input: Record<string, unknown> },
  isError: boolean,
): void {
  const { audit } = action;
  audit?.record({
    kind: 'mcp.call',
    runId: action.runId,
    nodeId: action.nodeId,
    actor: actorOf(action, audit),
    details: { server: call.server, tool: call.tool, argsSha256: sha256(JSON.stringify(call.input)), isError },
  });
}
