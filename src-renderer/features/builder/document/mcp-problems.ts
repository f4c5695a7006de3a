import { useEffect, useState } from 'react';
import { parseMcpToolName } from '@shared/mcp';
import type { ValidationProblem, Workflow } from '@shared/workflow';
import { api } from '../../../stores/connection';
import { editorStore, useEditor } from './editor';

const CHECK_DELAY_MS = 500;

/** The MCP tools the workflow's agents and team members name, as one string: the check runs again only when it changes. */
function mcpToolsOf(workflow: Workflow | null): string {
  const names: string[] = [];
  for (const node of workflow?.nodes ?? []) {
    const members =
      node.kind === 'team' && Array.isArray(node.config.members) ? (node.config.members as unknown[]) : [];
    const lists = [node.kind === 'agent' ? node.config.tools : undefined, ...members.map((member) => toolsOf(member))];
    for (const tools of lists) {
      if (!Array.isArray(tools)) continue;
      for (const tool of tools)
        if (typeof tool === 'string' && parseMcpToolName(tool)) names.push(`${node.id}:${tool}`);
    }
  }
  return names.join('\n');
}

const toolsOf = (member: unknown): unknown =>
  typeof member === 'object' && member !== null ? (member as { tools?: unknown }).tools : undefined;

const samePlace = (a: ValidationProblem, b: ValidationProblem) => a.path === b.path && a.message === b.message;

/**
 * What only the main process can tell about the open workflow: whether the MCP tools its agents name are
 * offered by a configured server (the shared validator, run here on every edit, cannot know). Asked
 * through `workflows.validate` a moment after the agents' MCP tools change; only the problems the local
 * validation did not already report are returned.
 */
export function useMcpProblems(): ValidationProblem[] {
  const tools = useEditor((state) => mcpToolsOf(state.workflow));
  // Kept with the tool list they were found for: a stale answer is never shown for other tools.
  const [checked, setChecked] = useState<{ tools: string; problems: ValidationProblem[] }>({ tools: '', problems: [] });
  useEffect(() => {
    if (tools === '') return;
    let current = true;
    const timer = setTimeout(() => {
      const { workflow, errors, warnings } = editorStore.getState();
      if (!workflow) return;
      const local = [...errors, ...warnings];
      api.workflows.validate({ workflow }).then(
        (result) => {
          if (!current) return;
          const found = [...result.errors, ...result.warnings];
          setChecked({ tools, problems: found.filter((problem) => !local.some((known) => samePlace(known, problem))) });
        },
        // Unreachable main process: the connection banner says so; keep what was last known.
        () => undefined,
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [tools]);
  return checked.tools === tools ? checked.problems : [];
}
