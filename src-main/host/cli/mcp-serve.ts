import fs from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { RunEvent } from '@shared/run-events';
import type { Workflow } from '@shared/workflow';
import type { WarRoom } from '../../app';
import { loadWorkflowFile } from './run-command';

/** What a client learns about a run: where it stands, what it produced and cost, and what it waits for. */
interface RunSummary {
  runId: string;
  workflow: string;
  status: string;
  outputs: Record<string, unknown>;
  costUsd: number;
  error: string | null;
  pauseReason: string | null;
  pendingApproval: { nodeId: string; prompt: string; payload: unknown } | null;
}

type ProgressReporter = (progress: number, message: string) => Promise<void>;

const STOPS = new Set(['run.completed', 'run.failed', 'run.cancelled', 'run.paused']);

const json = (value: unknown): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
  structuredContent: value as Record<string, unknown>,
});
const failure = (message: string): CallToolResult => ({ content: [{ type: 'text', text: message }], isError: true });

/**
 * War Room as an MCP server: other MCP clients (Claude Desktop, Claude Code…) list and run its
 * workflows, follow them with progress notifications, answer their approvals and search project memory.
 */
export function createWarRoomMcpServer(app: WarRoom, version: string): McpServer {
  const server = new McpServer({ name: 'warroom', version });

  server.registerTool(
    'list_workflows',
    { description: 'List the saved War Room workflows (id, name, description).' },
    () =>
      json({
        workflows: app.workflows
          .list()
          .map(({ id, name, description, updatedAt }) => ({ id, name, description, updatedAt })),
      }),
  );

  server.registerTool(
    'run_workflow',
    {
      description:
        'Run a War Room workflow (a saved workflow id or name, or a workflow JSON file path) and wait until it ' +
        'completes, fails or stops at a human approval; returns status, outputs, cost and the run id.',
      inputSchema: {
        workflow: z.string().min(1).describe('saved workflow id or name, or a path to a workflow .json file'),
        inputs: z.record(z.string(), z.unknown()).optional().describe('values for the workflow input nodes'),
        projectDir: z.string().optional().describe('the project the agents work in (default: current directory)'),
      },
    },
    async ({ workflow, inputs, projectDir }, extra) => {
      let resolved: Workflow;
      try {
        resolved = resolveWorkflow(app, workflow);
      } catch (error) {
        return failure((error as Error).message);
      }
      const run = app.runs.start({
        workflow: resolved,
        projectDir: projectDir ?? process.cwd(),
        // Redacted before the run is recorded, as the API does.
        inputs: await app.redactor.redactDeep(inputs ?? {}),
      });
      const stopOnCancel = () => app.runs.cancel(run.id);
      extra.signal.addEventListener('abort', stopOnCancel, { once: true });
      try {
        return json(await followToStop(app, run.id, 0, progressReporter(extra, resolved.nodes.length)));
      } finally {
        extra.signal.removeEventListener('abort', stopOnCancel);
      }
    },
  );

  server.registerTool(
    'get_run',
    {
      description: 'A run’s status, outputs, cost and any approval it waits for.',
      inputSchema: { runId: z.string().min(1) },
    },
    ({ runId }) => {
      try {
        return json(summarize(app, runId));
      } catch (error) {
        return failure((error as Error).message);
      }
    },
  );

  server.registerTool(
    'approve',
    {
      description:
        'Decide an approval a run waits for (approve, reject with a reason, or edit the payload), then wait for ' +
        'the run to complete or stop again.',
      inputSchema: {
        runId: z.string().min(1),
        nodeId: z.string().min(1),
        decision: z.enum(['approve', 'reject', 'edit']),
        reason: z.string().optional(),
        payload: z.unknown().optional(),
      },
    },
    async ({ runId, nodeId, decision, reason, payload }, extra) => {
      try {
        const afterSeq = lastSeq(app, runId);
        app.runs.approve(
          runId,
          nodeId,
          decision === 'reject'
            ? { decision, ...(reason ? { reason } : {}) }
            : decision === 'edit'
              ? { decision, payload }
              : { decision },
        );
        return json(await followToStop(app, runId, afterSeq, progressReporter(extra, 0)));
      } catch (error) {
        return failure((error as Error).message);
      }
    },
  );

  server.registerTool(
    'search_memory',
    {
      description: 'Search War Room’s project memory (task summaries, decisions, error resolutions, project files).',
      inputSchema: {
        query: z.string().min(1),
        namespace: z.string().optional().describe('a project namespace, or "global"; every namespace when absent'),
        limit: z.int().min(1).max(50).optional(),
      },
    },
    async ({ query, namespace, limit }) => {
      const hits = await app.memory.store.search(query, {
        ...(namespace ? { namespaces: [namespace] } : {}),
        limit: limit ?? 10,
      });
      return json({ hits });
    },
  );

  return server;
}

/** A path to an existing file, a saved workflow's id, or its (unique) name. */
function resolveWorkflow(app: WarRoom, reference: string): Workflow {
  if (/\.json$/i.test(reference) || fs.existsSync(reference)) return loadWorkflowFile(path.resolve(reference));
  const saved = app.workflows.list();
  const byId = saved.find((workflow) => workflow.id === reference);
  if (byId) return app.workflows.get(byId.id);
  const byName = saved.filter((workflow) => workflow.name === reference);
  if (byName.length === 1 && byName[0]) return app.workflows.get(byName[0].id);
  if (byName.length > 1) throw new Error(`${byName.length} workflows are named "${reference}"; use an id`);
  throw new Error(`no saved workflow has the id or name "${reference}", and no such file exists`);
}

function progressReporter(
  extra: { _meta?: { progressToken?: string | number }; sendNotification: McpServer['server']['notification'] },
  total: number,
): ProgressReporter {
  const token = extra._meta?.progressToken;
  return async (progress, message) => {
    if (token === undefined) return;
    await extra.sendNotification({
      method: 'notifications/progress',
      params: { progressToken: token, progress, ...(total > 0 ? { total } : {}), message },
    });
  };
}

/** Follows the run's events until it settles or waits for a human, reporting finished nodes as progress. */
async function followToStop(
  app: WarRoom,
  runId: string,
  afterSeq: number,
  report: ProgressReporter,
): Promise<RunSummary> {
  let completedNodes = 0;
  for await (const event of app.runs.events(runId, afterSeq, { follow: true })) {
    if (event.type === 'node.completed' && event.nodeId && !event.nodeId.includes('/')) {
      completedNodes++;
      await report(completedNodes, `${event.nodeId} completed`).catch(() => {});
    }
    if (STOPS.has(event.type)) break;
    if (event.type === 'approval.requested') {
      await report(completedNodes, `waiting for approval of ${event.nodeId ?? 'a node'}`).catch(() => {});
      break;
    }
  }
  await waitForSettledStatus(app, runId);
  return summarize(app, runId);
}

/** The event that stops following comes just before the status changes: wait for it to land. */
async function waitForSettledStatus(app: WarRoom, runId: string): Promise<void> {
  for (let attempt = 0; attempt < 50 && app.runs.get(runId).status === 'running'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function lastSeq(app: WarRoom, runId: string): number {
  return app.runs.eventsSoFar(runId).at(-1)?.seq ?? 0;
}

function summarize(app: WarRoom, runId: string): RunSummary {
  const run = app.runs.get(runId);
  return {
    runId: run.id,
    workflow: run.workflowName,
    status: run.status,
    outputs: run.outputs,
    costUsd: run.usage.costUsd,
    error: run.error,
    pauseReason: run.pauseReason,
    pendingApproval: run.status === 'waiting' ? pendingApproval(app.runs.eventsSoFar(runId)) : null,
  };
}

function pendingApproval(events: RunEvent[]): RunSummary['pendingApproval'] {
  const decided = new Set(events.flatMap((event) => (event.type === 'approval.decided' ? [event.data.scope] : [])));
  const open = events.findLast((event) => event.type === 'approval.requested' && !decided.has(event.data.scope));
  if (!open || open.type !== 'approval.requested') return null;
  return { nodeId: open.nodeId ?? '', prompt: open.data.prompt, payload: open.data.payload };
}
