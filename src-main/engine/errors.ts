/** Errors the engine raises; the API maps them to typed errors and the scheduler to run states. */
export class BudgetExceededError extends Error {
  constructor(
    readonly scope: 'run' | 'node',
    readonly limit: { maxUsd?: number; maxTokens?: number },
    readonly spent: { usd: number; tokens: number },
    readonly nodeId: string,
  ) {
    super(
      `${scope === 'run' ? 'run' : `node "${nodeId}"`} budget reached: spent $${spent.usd.toFixed(4)} and ${spent.tokens} tokens ` +
        `(limit ${limit.maxUsd === undefined ? '' : `$${limit.maxUsd}`}${limit.maxUsd !== undefined && limit.maxTokens !== undefined ? ', ' : ''}${limit.maxTokens === undefined ? '' : `${limit.maxTokens} tokens`})`,
    );
    this.name = 'BudgetExceededError';
  }
}

export class LoopGuardError extends Error {
  constructor(tool: string, count: number) {
    super(`loop guard: the agent called ${tool} with the same arguments ${count} times`);
    this.name = 'LoopGuardError';
  }
}

export class NodeTimeoutError extends Error {
  constructor(nodeId: string, timeoutMs: number) {
    super(`node "${nodeId}" timed out after ${timeoutMs} ms`);
    this.name = 'NodeTimeoutError';
  }
}

export class RunNotFoundError extends Error {
  constructor(runId: string) {
    super(`no run with id "${runId}"`);
    this.name = 'RunNotFoundError';
  }
}

/** The request does not fit the run's state (approving a node that waits for nothing, resuming a finished run…). */
export class RunStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunStateError';
  }
}

/** A replay needed a model call or tool result the original run never made. */
export class ReplayDivergedError extends Error {
  constructor(what: string) {
    super(`replay diverged: ${what} is not in the original run's journal`);
    this.name = 'ReplayDivergedError';
  }
}

/**
 * Errors that steer the run rather than report a failed step (a budget pause, a replay that diverged):
 * a tool never turns them into a result the model reads.
 */
export function isRunControlError(error: unknown): boolean {
  return error instanceof BudgetExceededError || error instanceof ReplayDivergedError;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError');
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The error a run's work is rejected with when the run is cancelled (what `isAbortError` recognises). */
export function abortError(message = 'the run was cancelled'): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}
