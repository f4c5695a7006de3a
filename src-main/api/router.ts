import { implement, ORPCError } from '@orpc/server';
import { contract } from '@shared/contract';
import { ErrorCode } from '@shared/errors';
import { SECRET_NAMES } from '@shared/settings';
import type { WarRoom } from '../app';
import { DatabaseOpenError } from '../store/database';
import { InvalidWorkflowError, WorkflowNotFoundError } from '../services/workflow-service';

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
  if (error instanceof WorkflowNotFoundError) return new ORPCError(ErrorCode.NotFound, { message: error.message });
  if (error instanceof DatabaseOpenError) return new ORPCError(ErrorCode.DatabaseError, { message: error.message });
  if (error instanceof Error && error.name === 'AbortError') return error;
  logError(error);
  return new ORPCError(ErrorCode.Internal, { message: 'Internal error in War Room; see the main process log.' });
}

/** Implements the shared contract over the app's services; both transports serve this router. */
export function createRouter(app: WarRoom, options: RouterOptions = {}) {
  const logError = options.logError ?? ((error: unknown) => console.error('[warroom]', error));
  const os = implement(contract).use(async ({ next }) => {
    try {
      return await next();
    } catch (error) {
      throw toApiError(error, logError);
    }
  });

  return os.router({
    app: {
      info: os.app.info.handler(() => app.info()),
      health: os.app.health.handler(() => app.health()),
    },
    settings: {
      get: os.settings.get.handler(() => app.settings.get()),
      update: os.settings.update.handler(({ input }) => app.settings.update(input)),
      reset: os.settings.reset.handler(() => app.settings.reset()),
      changes: os.settings.changes.handler(async function* ({ signal }) {
        try {
          yield* app.settings.changes(signal);
        } catch (error) {
          // The subscriber went away: end the stream quietly.
          if (signal?.aborted) return;
          throw error;
        }
      }),
    },
    secrets: {
      status: os.secrets.status.handler(() => SECRET_NAMES.map((name) => app.secrets.status(name))),
      set: os.secrets.set.handler(({ input }) => app.secrets.set(input.name, input.value)),
      clear: os.secrets.clear.handler(({ input }) => app.secrets.clear(input.name)),
    },
    workflows: {
      list: os.workflows.list.handler(() => app.workflows.list()),
      get: os.workflows.get.handler(({ input }) => app.workflows.get(input.id)),
      create: os.workflows.create.handler(({ input }) => app.workflows.create(input.name)),
      save: os.workflows.save.handler(({ input }) => app.workflows.save(input.workflow)),
      delete: os.workflows.delete.handler(({ input }) => {
        app.workflows.delete(input.id);
        return { id: input.id };
      }),
      import: os.workflows.import.handler(({ input }) => app.workflows.import(input.json)),
      export: os.workflows.export.handler(({ input }) => app.workflows.export(input.id)),
    },
  });
}

export type AppRouter = ReturnType<typeof createRouter>;
