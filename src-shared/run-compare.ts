import { z } from 'zod';
import type { RunEvent } from './run-events';
import { NodeRunSummarySchema, summarizeNodes, type NodeRunSummary } from './run-node-summaries';
import { RunSchema, type Run } from './runs';
import type { Workflow } from './workflow';

/**
 * Two runs side by side: per node what each did, and the first point where they diverge — the first
 * journal entry (model call, tool result, memory step) whose request one run made and the other did not.
 * Pure: the main process gathers the runs, events and journals and passes them in.
 */

export const CompareRunsInputSchema = z.object({
  a: z.string().min(1).max(128),
  b: z.string().min(1).max(128),
});

/** One journaled request of one run, as the comparison shows it. */
export const JournalStepSchema = z.object({
  /** Its place in that run's journal, from 1. */
  ordinal: z.int().positive(),
  kind: z.string(),
  /** Null for an entry journaled before War Room kept requests (then `request` is null too). */
  scope: z.string().nullable(),
  request: z.unknown(),
  /** What came back (the model's answer, the tool's result). */
  answer: z.unknown(),
});
export type JournalStep = z.infer<typeof JournalStepSchema>;

export const RunDivergenceSchema = z.object({
  /** Which execution asked, e.g. `writer#1`; and the workflow node it belongs to. */
  scope: z.string().nullable(),
  nodeId: z.string().nullable(),
  kind: z.string(),
  /** What each run asked there; null when that run made no other request in that scope. */
  a: JournalStepSchema.nullable(),
  b: JournalStepSchema.nullable(),
});
export type RunDivergence = z.infer<typeof RunDivergenceSchema>;

export const NodeComparisonSchema = z.object({
  nodeId: z.string(),
  /** The node's label or kind in the workflow of run a (else b); a team member's is its task id. */
  label: z.string(),
  kind: z.string().nullable(),
  teamNodeId: z.string().nullable(),
  a: NodeRunSummarySchema.nullable(),
  b: NodeRunSummarySchema.nullable(),
});
export type NodeComparison = z.infer<typeof NodeComparisonSchema>;

export const RunComparisonSchema = z.object({
  a: RunSchema,
  b: RunSchema,
  sameWorkflow: z.boolean(),
  nodes: z.array(NodeComparisonSchema),
  /** Null when every request of either run was also made by the other (a faithful replay). */
  divergence: RunDivergenceSchema.nullable(),
  journal: z.object({ a: z.int().nonnegative(), b: z.int().nonnegative(), shared: z.int().nonnegative() }),
});
export type RunComparison = z.infer<typeof RunComparisonSchema>;

/** A journal entry as the run store lists it, in journal order, without its answer (read only where needed). */
export interface JournalListing {
  key: string;
  kind: string;
  /** Null for an entry journaled before War Room kept requests. */
  scope: string | null;
  request: unknown;
  /** 1, 2, 3… in the order the run journaled its entries. */
  ordinal: number;
}

export interface ComparedRun {
  run: Run;
  workflow: Workflow;
  events: readonly RunEvent[];
  journal: readonly JournalListing[];
}

/** The node of a scope: `writer#2` → `writer`, a member's `team#1/t3` → `team/t3`. */
export function nodeIdOfScope(scope: string): string {
  return scope.replace(/#\d+/g, '');
}

export interface JournalDivergence {
  a: JournalListing | null;
  b: JournalListing | null;
}

/**
 * The first request one run made that the other did not. Journal keys hash the scope, kind and request,
 * so a shared key is the same request at the same place. Walking each journal in order, the earlier of the
 * two runs' first unshared entries is the divergence; its counterpart is the other run's first unshared
 * entry in the same scope and kind (what that run asked instead), if any. Parallel branches may journal in
 * a different order in each run: shared keys are matched as a set, so that alone is no divergence.
 */
export function findDivergence(a: readonly JournalListing[], b: readonly JournalListing[]): JournalDivergence | null {
  const keysOfA = new Set(a.map((entry) => entry.key));
  const keysOfB = new Set(b.map((entry) => entry.key));
  const firstOfA = a.find((entry) => !keysOfB.has(entry.key)) ?? null;
  const firstOfB = b.find((entry) => !keysOfA.has(entry.key)) ?? null;
  if (!firstOfA && !firstOfB) return null;
  const counterpart = (entry: JournalListing, others: readonly JournalListing[], shared: Set<string>) =>
    others.find(
      (other) =>
        !shared.has(other.key) && other.kind === entry.kind && other.scope !== null && other.scope === entry.scope,
    ) ?? null;
  if (firstOfA && (!firstOfB || firstOfA.ordinal <= firstOfB.ordinal)) {
    return { a: firstOfA, b: counterpart(firstOfA, b, keysOfA) };
  }
  // Only reached with firstOfB set: the condition above holds whenever it is null.
  const fromB = firstOfB as JournalListing;
  return { a: counterpart(fromB, a, keysOfB), b: fromB };
}

function labelOf(nodeId: string, workflows: readonly Workflow[], teamNodeId: string | null): string {
  for (const workflow of workflows) {
    const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
    if (node) return node.label ?? node.kind;
  }
  return teamNodeId ? nodeId.slice(teamNodeId.length + 1) : nodeId;
}

function kindOf(nodeId: string, workflows: readonly Workflow[]): string | null {
  for (const workflow of workflows) {
    const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
    if (node) return node.kind;
  }
  return null;
}

/**
 * The nodes of both runs in one list: the workflow's nodes in order (a's, then any only b has), each team
 * followed by its members, then nodes that ran without being in either workflow (subworkflows' nodes).
 */
function orderNodes(
  a: ComparedRun,
  b: ComparedRun,
  summariesA: readonly NodeRunSummary[],
  summariesB: readonly NodeRunSummary[],
) {
  const order: string[] = [];
  const seen = new Set<string>();
  const add = (nodeId: string) => {
    if (seen.has(nodeId)) return;
    seen.add(nodeId);
    order.push(nodeId);
    for (const summary of [...summariesA, ...summariesB]) {
      if (summary.teamNodeId === nodeId) add(summary.nodeId);
    }
  };
  for (const node of [...a.workflow.nodes, ...b.workflow.nodes]) add(node.id);
  for (const summary of [...summariesA, ...summariesB]) add(summary.nodeId);
  return order;
}

/** Where each journal entry to show is answered from: the store's `readJournal` of that run. */
export type ReadAnswer = (side: 'a' | 'b', key: string) => unknown;

export function compareRuns(a: ComparedRun, b: ComparedRun, readAnswer: ReadAnswer): RunComparison {
  const summariesA = summarizeNodes(a.events);
  const summariesB = summarizeNodes(b.events);
  const byIdA = new Map(summariesA.map((summary) => [summary.nodeId, summary]));
  const byIdB = new Map(summariesB.map((summary) => [summary.nodeId, summary]));
  const workflows = [a.workflow, b.workflow];
  const nodes = orderNodes(a, b, summariesA, summariesB).map((nodeId): NodeComparison => {
    const summaryA = byIdA.get(nodeId) ?? null;
    const summaryB = byIdB.get(nodeId) ?? null;
    const teamNodeId = summaryA?.teamNodeId ?? summaryB?.teamNodeId ?? null;
    return {
      nodeId,
      label: labelOf(nodeId, workflows, teamNodeId),
      kind: kindOf(nodeId, workflows),
      teamNodeId,
      a: summaryA,
      b: summaryB,
    };
  });

  const found = findDivergence(a.journal, b.journal);
  const step = (side: 'a' | 'b', entry: JournalListing | null): JournalStep | null =>
    entry
      ? {
          ordinal: entry.ordinal,
          kind: entry.kind,
          scope: entry.scope,
          request: entry.request,
          answer: readAnswer(side, entry.key),
        }
      : null;
  const at = found ? (found.a ?? found.b) : null;
  const divergence: RunDivergence | null =
    found && at
      ? {
          scope: at.scope,
          nodeId: at.scope === null ? null : nodeIdOfScope(at.scope),
          kind: at.kind,
          a: step('a', found.a),
          b: step('b', found.b),
        }
      : null;
  const keysOfB = new Set(b.journal.map((entry) => entry.key));
  return {
    a: a.run,
    b: b.run,
    sameWorkflow: a.run.workflowId === b.run.workflowId,
    nodes,
    divergence,
    journal: {
      a: a.journal.length,
      b: b.journal.length,
      shared: a.journal.filter((entry) => keysOfB.has(entry.key)).length,
    },
  };
}
