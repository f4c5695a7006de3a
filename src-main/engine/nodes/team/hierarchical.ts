import type { TeamMember } from '@shared/node-kinds';
import type { AgentTool } from '../../agent-loop';
import { toolSpec } from '../../tool-spec';
import type { TeamRun, TeamTask } from './team-run';

/** A task and its delegations, as the `detail` port and `runs.tasks` give them. */
export interface TaskTreeNode extends Omit<TeamTask, 'depth'> {
  children: TaskTreeNode[];
}

const COORDINATOR_TASK = '1';

/**
 * Coordinator-led: the coordinator gets a `delegate` tool; each call starts a member of the named role
 * on a sub-task and returns its answer as the tool result. Calls of one turn run concurrently. Limits:
 * `maxDepth` levels, `maxAgents` agents in the tree, no role unknown to the team, no task given to the
 * same role twice — each refused with a tool error the delegator reads.
 */
export async function runHierarchical(team: TeamRun): Promise<{ out: string; detail: unknown }> {
  const { config } = team;
  const coordinator: TeamMember = {
    role: config.coordinator.role,
    ...(config.coordinator.model ? { model: config.coordinator.model } : {}),
  };
  const delegated = new Set<string>();
  const childCounts = new Map<string, number>();
  let agents = 1;
  const roles = [...new Set(config.members.map((member) => member.role))];

  const delegateTool = (parentId: string, depth: number): AgentTool => ({
    spec: toolSpec(
      'delegate',
      'Hands a sub-task to a specialist of the team and returns their answer. Several calls in one turn run in parallel.',
      {
        role: { type: 'string', enum: roles, description: 'who should do it' },
        task: { type: 'string', description: 'what to do, self-contained' },
        context: { type: 'string', description: 'what they need to know from your work so far' },
      },
      ['role', 'task'],
    ),
    // The delegate's own model and tool calls are journaled under its scope; the delegation itself
    // runs again on resume and finds them there.
    journaled: false,
    run: async (input) => {
      const role = typeof input.role === 'string' ? input.role : '';
      const task = typeof input.task === 'string' ? input.task.trim() : '';
      const member = config.members.find((candidate) => candidate.role === role);
      if (!member) return refuse(`no member of this team has the role "${role}" (roles: ${roles.join(', ')})`);
      if (!task) return refuse('"task" must be a non-empty string');
      if (depth + 1 > config.maxDepth) return refuse(`delegation deeper than ${config.maxDepth} levels is not allowed`);
      const key = `${role}\u0000${task}`;
      if (delegated.has(key)) return refuse(`this task was already delegated to ${role}; use the answer you got`);
      if (agents >= config.maxAgents) return refuse(`the team may start at most ${config.maxAgents} agents`);
      delegated.add(key);
      agents++;
      const index = (childCounts.get(parentId) ?? 0) + 1;
      childCounts.set(parentId, index);
      const taskId = `${parentId}.${index}`;
      const context = typeof input.context === 'string' && input.context.trim() ? input.context.trim() : '';
      const canDelegate = config.allowMemberDelegation && depth + 1 < config.maxDepth;
      try {
        return await team.runMember({
          taskId,
          parentId,
          member,
          task: context ? `${task}\n\nContext:\n${context}` : task,
          depth: depth + 1,
          briefing: briefing(team.goal, canDelegate ? roles : []),
          ...(canDelegate ? { teamTools: new Map([['delegate', delegateTool(taskId, depth + 1)]]) } : {}),
        });
      } catch (error) {
        if (team.stopsTheTeam(error) || config.onMemberError === 'fail') {
          team.fail(error instanceof Error ? error : new Error(String(error)));
        }
        return refuse(`the ${role} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  });

  const out = await team.runMember({
    taskId: COORDINATOR_TASK,
    parentId: null,
    member: coordinator,
    task: team.goal,
    depth: 0,
    briefing: coordinatorBriefing(team, roles),
    teamTools: new Map([['delegate', delegateTool(COORDINATOR_TASK, 0)]]),
  });
  return { out, detail: { topology: 'hierarchical', tasks: taskTree([...team.tasks.values()]) } };
}

function refuse(message: string) {
  return { content: message, isError: true };
}

function coordinatorBriefing(team: TeamRun, roles: string[]): string {
  const lines = roles.map((name) => `- ${name}: ${team.role(name).description}`);
  return [
    'You coordinate a team. Break the goal into parts and hand each to the right specialist with the',
    '`delegate` tool (several calls in one turn run in parallel), then combine their answers into the',
    "team's final answer. Your team:",
    ...lines,
  ].join('\n');
}

function briefing(goal: string, delegatesTo: string[]): string {
  const lines = [`You are a member of a team working on: ${goal}`, 'Do your part and answer with its result.'];
  if (delegatesTo.length > 0) lines.push(`You may hand sub-tasks to ${delegatesTo.join(', ')} with \`delegate\`.`);
  return lines.join('\n');
}

/** The tasks as a tree under their parents, in creation order. */
export function taskTree(tasks: readonly TeamTask[]): TaskTreeNode[] {
  const nodes = new Map<string, TaskTreeNode>();
  for (const { depth: _depth, ...task } of tasks) nodes.set(task.id, { ...task, children: [] });
  const roots: TaskTreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
