import { breakpointProblem, sameBreakpoint, type Breakpoint, type BreakpointKind } from '@shared/breakpoints';
import type { Workflow } from '@shared/workflow';

const NONE: readonly Breakpoint[] = [];

/** The workflow's saved breakpoints (editor state). */
export function breakpointsOf(workflow: Workflow | null): readonly Breakpoint[] {
  return workflow?.editor?.breakpoints ?? NONE;
}

export function breakpointOn(workflow: Workflow | null, nodeId: string, kind: BreakpointKind): Breakpoint | undefined {
  return breakpointsOf(workflow).find((breakpoint) => sameBreakpoint(breakpoint, { kind, nodeId }));
}

/** Node breakpoints for all the nodes, or none if they all have one already (the F9 toggle). */
export function toggledNodeBreakpoints(
  workflow: Workflow,
  nodeIds: readonly string[],
): Array<{ breakpoint: Breakpoint; on: boolean }> {
  const allSet = nodeIds.every((nodeId) => breakpointOn(workflow, nodeId, 'node'));
  return nodeIds.map((nodeId) => ({ breakpoint: { kind: 'node', nodeId }, on: !allSet }));
}

/** The breakpoints a run started from the Builder takes: those that still fit the graph (a node may be gone). */
export function runnableBreakpoints(workflow: Workflow): Breakpoint[] {
  const kinds = new Map(workflow.nodes.map((node) => [node.id, node.kind]));
  return breakpointsOf(workflow).filter((breakpoint) => breakpointProblem(kinds, breakpoint) === null);
}
