import { implement, ORPCError } from '@orpc/server';
import { contract } from '@shared/contract';
import { ErrorCode } from '@shared/errors';
import type { WarRoom } from '../app';
import { DatabaseOpenError } from '../store/database';
import { InvalidWorkflowError, WorkflowNotFoundError } from '../services/workflow-service';
import { appRoutes } from './routes/app-routes';
import { secretRoutes } from './routes/secret-routes';
import { settingsRoutes } from './routes/settings-routes';
import { roleRoutes, workflowRoutes } from './routes/workflow-routes';
import { TemplateNotFoundError } from '../services/template-service';
import { memoryRoutes } from './routes/memory-routes';
import { sandboxRoutes } from './routes/sandbox-routes';
import { runRoutes } from './routes/run-routes';
import { InvalidRunWorkflowError } from '../engine/engine';
import { RunNotFoundError, RunStateError } from '../engine/errors';
import { SandboxErrorCode } from '@shared/sandbox';
import { SandboxUnavailableError } from '../sandbox/port';
import { ImageBuildError } from '../sandbox/images';
import { IngestPathError, MemoryImportError, MemoryItemNotFoundError } from '../memory/errors';

export interface RouterOptions {
  /** Where unexpected errors are reported; the client only sees a generic message for those. */
  logError?: (error: unknown) => void;
}

/**
 * Turns domain errors into typed API errors (code, message, data). Anything not recognised becomes
 * INTERNAL_SERVER_ERROR without internals, and is logged in the main process.
 */
export function toApiError(error: unknown, logError: (error: unknown) => void): unknown {
  if (error instanceof ORPCError) return error;
  if (error instanceof InvalidWorkflowError) {
    return new ORPCError(ErrorCode.InvalidWorkflow, { message: error.message, data: { problems: error.problems } });
  }
  if (error instanceof WorkflowNotFoundError || error instanceof TemplateNotFoundError) {
    return new ORPCError(ErrorCode.NotFound, { message: error.message });
  }
  if (error instanceof DatabaseOpenError) return new ORPCError(ErrorCode.DatabaseError, { message: error.message });
  if (error instanceof MemoryItemNotFoundError) return new ORPCError(ErrorCode.NotFound, { message: error.message });
  if (error instanceof MemoryImportError) {
    return new ORPCError(ErrorCode.BadRequest, { message: error.message, data: { problems: error.problems } });
  }
  if (error instanceof IngestPathError) return new ORPCError(ErrorCode.BadRequest, { message: error.message });
  if (error instanceof SandboxUnavailableError) {
    return new ORPCError(SandboxErrorCode.Unavailable, { message: error.message });
  }
  if (error instanceof ImageBuildError) {
    return new ORPCError(SandboxErrorCode.ImageBuildFailed, { message: error.message });
  }
  if (error instanceof InvalidRunWorkflowError) {
    return new ORPCError(ErrorCode.InvalidWorkflow, { message: error.message, data: { problems: error.problems } });
  }
  if (error instanceof RunNotFoundError) return new ORPCError(ErrorCode.NotFound, { message: error.message });
  if (error instanceof RunStateError) return new ORPCError(ErrorCode.Conflict, { message: error.message });
  if (error instanceof Error && error.name === 'AbortError') return error;
  logError(error);
  return new ORPCError(ErrorCode.Internal, { message: 'Internal error in War Room; see the main process log.' });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Event streams fail while they are consumed, after the handler returned: map those errors too. */
async function* mapStreamErrors(stream: AsyncIterable<unknown>, logError: (error: unknown) => void) {
  try {
    return yield* stream;
  } catch (error) {
    throw toApiError(error, logError);
  }
}

function createImplementer(logError: (error: unknown) => void) {
  return implement(contract).use(async ({ next }) => {
    try {
      const result = await next();
      return isAsyncIterable(result.output)
        ? { ...result, output: mapStreamErrors(result.output, logError) as typeof result.output }
        : result;
    } catch (error) {
      throw toApiError(error, logError);
    }
  });
}

/** What each `routes/*.ts` file receives to implement its part of the contract. */
export type ApiImplementer = ReturnType<typeof createImplementer>;

/**
 * Implements the shared contract over the app's services; both transports serve this router.
 * Each area of the contract is implemented in its own file under routes/.
 */
export function createRouter(app: WarRoom, options: RouterOptions = {}) {
  const os = createImplementer(options.logError ?? ((error: unknown) => console.error('[warroom]', error)));
  return os.router({
    app: appRoutes(os, app),
    settings: settingsRoutes(os, app),
    secrets: secretRoutes(os, app),
    workflows: workflowRoutes(os, app),
    roles: roleRoutes(os, app),
    memory: memoryRoutes(os, app),
    sandbox: sandboxRoutes(os, app),
    runs: runRoutes(os, app),
  });
}

export type AppRouter = ReturnType<typeof createRouter>;
