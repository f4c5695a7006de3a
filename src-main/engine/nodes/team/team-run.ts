import { isMcpToolName } from '@shared/mcp';
import { teamNamespace } from '@shared/memory-namespaces';
import type { TeamConfig, TeamMember } from '@shared/node-kinds';
import type { LlmProvider } from '../../../llm/port';
import { runAgentLoop, type AgentTool } from '../../agent-loop';
import { mcpTools } from '../../mcp-tools';
import { toolSpec } from '../../tool-spec';
import { describeError, isRunControlError } from '../../errors';
import type { NodeContext, RolePreset } from '../../node-kind';
import { builtInTools, isBuiltInTool, toolEnvironmentOf } from '../../tools';
import { ConcurrencyLimit } from './concurrency-limit';

const MAX_RESULT_CHARS = 4000;

/** One unit of a team's work: a member agent doing one task. Mirrors the `team.task.*` events. */
export interface TeamTask {
  id: string;
  parentId: string | null;
  role: string;
  task: string;
  depth: number;
  status: 'running' | 'completed' | 'failed';
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  result: string | null;
  error: string | null;
}

export interface MemberWork {
  taskId: string;
  parentId: string | null;
  member: TeamMember;
  task: string;
  depth: number;
  /** Tools the topology gives this member (delegate, the board…); they win over built-ins of the same name. */
  teamTools?: ReadonlyMap<string, AgentTool>;
  /** What the topology tells this member about the team, added to its role's system prompt. */
  briefing: string;
  /** Aborts this member alone (a voter's time limit); the team's signal aborts every member. */
  signal?: AbortSignal;
}

/**
 * The state of one execution of a team node: its members' tasks, the shared scratchpad, the limit on
 * concurrent model calls, and the signal that stops every member. Each member is an agent like any
 * other — journaled under its own scope, budgeted, cancellable — started through `runMember`.
 */
export class TeamRun {
  readonly tasks = new Map<string, TeamTask>();
  readonly scratchpad = new Map<string, string>();
  private readonly controller = new AbortController();
  private readonly llm: LlmProvider;
  /** Set when a member's failure ends the team (onMemberError: fail). */
  private failure: Error | null = null;

  constructor(
    readonly context: NodeContext<TeamConfig>,
    readonly goal: string,
  ) {
    const limit = new ConcurrencyLimit(Math.max(1, context.maxConcurrency));
    const inner = context.llm;
    // Members' model calls share the engine's concurrency limit; a member waiting on its delegates
    // holds no slot, so a deep tree cannot deadlock.
    this.llm = { name: inner.name, complete: (request, options) => limit.run(() => inner.complete(request, options)) };
    const stop = () => this.controller.abort(context.signal.reason);
    if (context.signal.aborted) stop();
    else context.signal.addEventListener('abort', stop, { once: true });
  }

  get config(): TeamConfig {
    return this.context.config;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  role(name: string): RolePreset {
    const role = this.context.roles.get(name);
    if (!role) {
      const known = [...this.context.roles.keys()].sort().join(', ');
      throw new Error(`team: unknown role "${name}" (known roles: ${known || 'none'})`);
    }
    return role;
  }

  /** Fails the team with a member's error: every other member is stopped. */
  fail(error: Error): never {
    this.failure ??= error;
    this.controller.abort(error);
    throw error;
  }

  /** The error that ended the team, if a member's failure did. */
  get failedWith(): Error | null {
    return this.failure;
  }

  /** Runs one member agent on its task, recording the task's life as events; returns its answer. */
  async runMember(work: MemberWork): Promise<string> {
    const { context } = this;
    const role = this.role(work.member.role);
    const task: TeamTask = {
      id: work.taskId,
      parentId: work.parentId,
      role: work.member.role,
      task: work.task,
      depth: work.depth,
      status: 'running',
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      result: null,
      error: null,
    };
    this.tasks.set(task.id, task);
    context.emit('team.task.created', {
      taskId: task.id,
      parentId: task.parentId,
      role: task.role,
      task: task.task,
      depth: task.depth,
    });
    context.emit('team.task.started', { taskId: task.id });
    const base = context.member(work.taskId, this.config.budget);
    const signal = work.signal ? AbortSignal.any([this.signal, work.signal]) : this.signal;
    const member: NodeContext = {
      ...base,
      signal,
      llm: this.llm,
      chargeUsage: (usage, costUsd, budget) => {
        task.usage.inputTokens += usage.inputTokens;
        task.usage.outputTokens += usage.outputTokens;
        task.usage.costUsd += costUsd;
        base.chargeUsage(usage, costUsd, budget);
      },
    };
    try {
      const answer = await runAgentLoop(member, {
        model: work.member.model ?? context.defaultModel,
        system: [role.system, work.member.prompt, work.briefing].filter(Boolean).join('\n\n'),
        task: work.task,
        tools: await this.toolsFor(work.member, member, work.teamTools),
        maxTurns: this.config.maxTurns,
        maxTokens: this.config.maxTokens,
        ...(work.member.budget ? { budget: work.member.budget } : {}),
        maxRepeatedToolCalls: 3,
      });
      task.status = 'completed';
      task.result = answer;
      context.emit('team.task.completed', {
        taskId: task.id,
        result: answer.slice(0, MAX_RESULT_CHARS),
        usage: { ...task.usage },
      });
      return answer;
    } catch (error) {
      task.status = 'failed';
      task.error = describeError(error);
      // A pause or a cancel is the run's state, not this task failing; a team stopped by another
      // member's failure does mark its unfinished tasks failed.
      if (!isRunControlError(error) && !context.signal.aborted) {
        context.emit('team.task.failed', { taskId: task.id, error: task.error });
      }
      throw error;
    }
  }

  /** Whether an error of a member is the run stopping (cancel, budget, a failed team) rather than the member failing. */
  stopsTheTeam(error: unknown): boolean {
    return isRunControlError(error) || this.signal.aborted || this.context.signal.aborted;
  }

  private async toolsFor(
    member: TeamMember,
    context: NodeContext,
    teamTools: ReadonlyMap<string, AgentTool> | undefined,
  ): Promise<Map<string, AgentTool>> {
    const role = this.role(member.role);
    const names: string[] = member.tools ?? role.tools.filter(isBuiltInTool);
    // Members share what they find in the team's run-scoped memory (see RunMemory.synthesize).
    const environment = {
      ...toolEnvironmentOf(context),
      teamMemory: teamNamespace(this.context.runId, this.context.scope),
    };
    const tools = new Map([
      ...builtInTools(names.filter(isBuiltInTool), environment),
      ...(await mcpTools(names.filter(isMcpToolName), context)),
    ]);
    // The scratchpad of a team member is the team's: what one remembers, the others can recall.
    for (const [name, tool] of this.scratchpadTools(member.role)) if (tools.has(name)) tools.set(name, tool);
    for (const [name, tool] of teamTools ?? []) tools.set(name, tool);
    return tools;
  }

  private scratchpadTools(by: string): Map<string, AgentTool> {
    const remember: AgentTool = {
      spec: toolSpec(
        'remember',
        'Writes a note to the team scratchpad under a key; every member of the team can recall it.',
        { key: { type: 'string' }, value: { type: 'string' } },
        ['key', 'value'],
      ),
      journaled: false,
      run: (input) => {
        const key = String(input.key ?? '');
        const value = String(input.value ?? '');
        if (!key) return Promise.resolve({ content: '"key" must be a non-empty string', isError: true });
        this.scratchpad.set(key, value);
        this.context.emit('team.scratchpad.set', { by, key, value: value.slice(0, MAX_RESULT_CHARS) });
        return Promise.resolve(`remembered "${key}" for the team`);
      },
    };
    const recall: AgentTool = {
      spec: toolSpec('recall', 'Reads the team scratchpad: one key, or every key when none is given.', {
        key: { type: 'string' },
      }),
      journaled: false,
      run: (input) => {
        if (typeof input.key === 'string' && input.key) {
          return Promise.resolve(this.scratchpad.get(input.key) ?? `nothing under "${input.key}"`);
        }
        const all = [...this.scratchpad].map(([key, value]) => `${key}: ${value}`).join('\n');
        return Promise.resolve(all || 'the team scratchpad is empty');
      },
    };
    return new Map([
      ['remember', remember],
      ['recall', recall],
    ]);
  }
}
