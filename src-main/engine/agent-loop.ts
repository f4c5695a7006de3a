import { mapStrings } from '@shared/map-strings';
import type { Budget } from '@shared/node-kinds';
import type { LlmContentBlock, LlmMessage, LlmRequest, LlmResponse, LlmToolSpec } from '../llm/port';
import { describeError, isRunControlError, LoopGuardError } from './errors';
import type { NodeContext } from './node-kind';
import type { Redactor } from '../privacy/port';

type ToolUse = Extract<LlmContentBlock, { type: 'tool_use' }>;

/** What a tool call gave back: text for the model, and whether it is an error the model should read. */
export interface AgentToolResult {
  content: string;
  isError: boolean;
}

/**
 * One tool an agent may call. Built-in tools, team tools (delegate, the message board) and MCP tools
 * all take this shape, so the loop below knows nothing about where a tool comes from.
 */
export interface AgentTool {
  spec: LlmToolSpec;
  /**
   * Journaled tools are performed once per run (resume and replay re-use the result); tools that only
   * touch this run's memory (the scratchpad) or start journaled work of their own (delegation) run again.
   */
  journaled: boolean;
  run(input: Record<string, unknown>, signal: AbortSignal): Promise<string | AgentToolResult>;
}

export interface AgentLoopOptions {
  model: string;
  system: string;
  task: string;
  tools: ReadonlyMap<string, AgentTool>;
  maxTurns: number;
  maxTokens: number;
  budget?: Budget;
  maxRepeatedToolCalls: number;
}

/**
 * The tool-use loop of one agent: ask the model, run the tools it calls (concurrently within a turn),
 * give it the results, until it answers without tools. Every model call and journaled tool result goes
 * through the journal; usage is charged against the budgets as it is spent.
 */
export async function runAgentLoop(context: NodeContext, options: AgentLoopOptions): Promise<string> {
  const messages: LlmMessage[] = [{ role: 'user', content: [{ type: 'text', text: options.task }] }];
  const toolCallCounts = new Map<string, number>();
  const specs = [...options.tools.values()].map((tool) => tool.spec);

  for (let turn = 1; turn <= options.maxTurns; turn++) {
    const request: LlmRequest = {
      model: options.model,
      system: options.system,
      // This turn's conversation, not the live array: the journal keeps the request as sent (run comparison
      // shows it), and later turns must not grow it after the fact.
      messages: [...messages],
      tools: specs,
      maxTokens: options.maxTokens,
    };
    context.emit('llm.started', { turn, model: options.model });
    // A call answered from the journal (resume, replay, fork) costs nothing again: its usage says so.
    let sent = false;
    const response = await context.journaled('llm', request, async () => {
      sent = true;
      const answer = await context.llm.complete(request, {
        signal: context.signal,
        onTextDelta: context.emitTextDelta,
        onRetry: (retry) => context.emit('llm.retry', { ...retry, model: options.model }),
      });
      return withoutKnownSecrets(answer, context.redactor, context.redactToModel);
    });
    context.emit('llm.usage', {
      turn,
      ...response.usage,
      costUsd: response.costUsd,
      model: response.model,
      ...(sent ? {} : { reused: true as const }),
    });
    context.chargeUsage(response.usage, response.costUsd, options.budget);
    messages.push({ role: 'assistant', content: response.content });
    const toolUses = response.content.filter((block): block is ToolUse => block.type === 'tool_use');
    if (toolUses.length === 0 || response.stopReason !== 'tool_use') {
      return response.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    }
    for (const toolUse of toolUses) {
      const key = `${toolUse.name}\u0000${JSON.stringify(toolUse.input)}`;
      const count = (toolCallCounts.get(key) ?? 0) + 1;
      toolCallCounts.set(key, count);
      if (count >= options.maxRepeatedToolCalls) {
        context.emit('loop.guard', { tool: toolUse.name, input: toolUse.input, count });
        throw new LoopGuardError(toolUse.name, count);
      }
    }
    // Parallel tool calls of one turn run concurrently; their results go back in the order asked.
    const results = await Promise.all(toolUses.map((toolUse) => callTool(context, options.tools, toolUse)));
    messages.push({ role: 'user', content: results });
  }
  throw new Error(`the agent used all ${options.maxTurns} turns without a final answer`);
}

async function callTool(
  context: NodeContext,
  tools: ReadonlyMap<string, AgentTool>,
  toolUse: ToolUse,
): Promise<LlmContentBlock> {
  // A breakpoint may pause here, and the user edit the arguments: the edit is what runs and is journaled.
  const input = (await context.pauseBefore({
    kind: 'tool',
    tool: { id: toolUse.id, name: toolUse.name },
    pending: toolUse.input,
  })) as Record<string, unknown>;
  context.emit('tool.call', { id: toolUse.id, name: toolUse.name, input });
  const tool = tools.get(toolUse.name);
  const run = async (): Promise<AgentToolResult> => {
    if (!tool) return { content: `tool "${toolUse.name}" is not available to this agent`, isError: true };
    try {
      const result = await tool.run(input, context.signal);
      return typeof result === 'string' ? { content: result, isError: false } : result;
    } catch (error) {
      if (context.signal.aborted || isRunControlError(error)) throw error;
      // A failing tool is information for the model, not the end of the run.
      return { content: describeError(error), isError: true };
    }
  };
  // Redacted before it is journaled: the journal holds what the model was sent, so replay sends it again.
  const perform = async (): Promise<AgentToolResult> => {
    const result = await run();
    return context.redactToModel ? { ...result, content: await context.redactor.redact(result.content) } : result;
  };
  const result =
    tool && !tool.journaled
      ? await perform()
      : await context.journaled('tool', { id: toolUse.id, name: toolUse.name, input }, perform);
  context.emit('tool.result', {
    id: toolUse.id,
    name: toolUse.name,
    isError: result.isError,
    // Redacted whole before it is cut: a secret cut in half is no longer found.
    output: (context.redactToModel ? result.content : await context.redactor.redact(result.content)).slice(0, 4000),
  });
  return {
    type: 'tool_result',
    toolUseId: toolUse.id,
    content: result.content,
    ...(result.isError ? { isError: true } : {}),
  };
}

/**
 * A model's answer with the secrets War Room knows taken out (cheap: known values only, those found once
 * included), so the journal, the conversation and the node's output never carry one even if the model
 * repeats it. Its tool arguments too while the model is sent redacted text: what it could not have read
 * it should not write; with redaction to the model off, it works with the real values on purpose.
 */
function withoutKnownSecrets(answer: LlmResponse, redactor: Redactor, inToolArguments: boolean): LlmResponse {
  const redactKnown = (text: string) => redactor.redactKnown(text);
  const content = answer.content.map((block): LlmResponse['content'][number] => {
    if (block.type === 'text') {
      const text = redactKnown(block.text);
      return text === block.text ? block : { ...block, text };
    }
    if (block.type === 'tool_use' && inToolArguments) {
      const input = mapStrings(block.input, redactKnown);
      return input === block.input ? block : { ...block, input };
    }
    return block;
  });
  return content.every((block, index) => block === answer.content[index]) ? answer : { ...answer, content };
}
