import {
  decodeRunEvent,
  type NewRunEvent,
  type RunEvent,
  type RunEventData,
  type RunEventType,
} from '@shared/run-events';

/** Events of one test run for the run view's tests: numbered in order, stamped a second apart. */

let seq = 0;

/** Numbers events from 1 again, so each test's run starts afresh (call it before each test). */
export function restartRunEvents(): void {
  seq = 0;
}

/** The number and time of the next event of the test run; `second` is its time past the run's start. */
export function nextEventStamp(second?: number): Pick<RunEvent, 'runId' | 'seq' | 'at'> {
  seq += 1;
  return { runId: 'run-1', seq, at: new Date(Date.UTC(2026, 10, 21, 12, 0, second ?? seq)).toISOString() };
}

export const runEvent = (body: NewRunEvent, second?: number): RunEvent => ({ ...nextEventStamp(second), ...body });

export const NO_USAGE = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

export const runStarted = () =>
  runEvent({ type: 'run.started', nodeId: null, data: { mode: 'normal', sourceRunId: null, inputs: {} } });

export const started = (nodeId: string, second?: number) =>
  runEvent({ type: 'node.started', nodeId, data: { scope: nodeId, inputs: {} } }, second);

/** The first events of a run whose node `nodeId` is at work. */
export const nodeAtWork = (nodeId: string) => [runStarted(), started(nodeId)];

/** Streamed model text of a node or a team member. */
export const textDelta = (nodeId: string, text: string) => runEvent({ type: 'llm.delta', nodeId, data: { text } });

export const toolCall = (nodeId: string, name: string, input: unknown) =>
  runEvent({ type: 'tool.call', nodeId, data: { scope: nodeId, name, input } });

/** One model call's usage, by a node or a team member (`crew/1.2`). */
export const llmUsage = (nodeId: string, inputTokens: number, outputTokens: number, costUsd: number) =>
  runEvent({
    type: 'llm.usage',
    nodeId,
    data: { scope: nodeId, inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd, model: 'm' },
  });

/** The team node every team test runs. */
const TEAM_NODE = 'crew';

type TeamEventType = Extract<RunEventType, `team.${string}`>;

/** An event of the team node `crew`, in its scope; decoded as the log reads it, so its data is checked. */
export function teamEvent<Type extends TeamEventType>(type: Type, data: Omit<RunEventData<Type>, 'scope'>): RunEvent {
  return decodeRunEvent({ ...nextEventStamp(), type, nodeId: TEAM_NODE, data: { scope: TEAM_NODE, ...data } });
}
