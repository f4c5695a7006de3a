import type { WarRoom } from '../app';
import { databasePath } from '../profile';
import { createImplementer } from './implementer';
import { appRoutes } from './routes/app-routes';
import { secretRoutes } from './routes/secret-routes';
import { settingsRoutes } from './routes/settings-routes';
import { roleRoutes, workflowRoutes } from './routes/workflow-routes';
import { memoryRoutes } from './routes/memory-routes';
import { sandboxRoutes } from './routes/sandbox-routes';
import { runRoutes } from './routes/run-routes';
import { runEventPageRoutes } from './routes/run-event-page-routes';
import { mcpRoutes } from './routes/mcp-routes';
import { auditRoutes } from './routes/audit-routes';
import { statsRoutes } from './routes/stats-routes';
import { healthRoutes } from './routes/health-routes';

export interface RouterOptions {
  /** Where unexpected errors are reported; the client only sees a generic message for those. */
  logError?: (error: unknown) => void;
}

/**
 * Implements the shared contract over the app's services; both transports serve this router.
 * Each area of the contract is implemented in its own file under routes/.
 */
export function createRouter(app: WarRoom, options: RouterOptions = {}) {
  const log = options.logError ?? ((error: unknown) => console.error('[warroom]', error));
  const redactKnown = (text: string) => app.redactor.redactKnown(text);
  const os = createImplementer(
    // An unexpected error's message and stack may quote what failed: logs get the known-values pass too.
    (error) => log(redactedError(error, redactKnown)),
    databasePath(app.info().profileDir),
    redactKnown,
  );
  return os.router({
    app: appRoutes(os, app),
    settings: settingsRoutes(os, app),
    secrets: secretRoutes(os, app),
    workflows: workflowRoutes(os, app),
    roles: roleRoutes(os, app),
    memory: memoryRoutes(os, app),
    sandbox: sandboxRoutes(os, app),
    runs: { ...runRoutes(os, app), ...runEventPageRoutes(os, app) },
    mcp: mcpRoutes(os, app),
    audit: auditRoutes(os, app),
    stats: statsRoutes(os, app),
    health: healthRoutes(os, app),
  });
}

export type AppRouter = ReturnType<typeof createRouter>;

/** The error with the held secrets taken out of its message and stack (the same error when none are in them). */
function redactedError(error: unknown, redactKnown: (text: string) => string): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? redactKnown(error) : error;
  const message = redactKnown(error.message);
  const stack = error.stack === undefined ? undefined : redactKnown(error.stack);
  if (message === error.message && stack === error.stack) return error;
  const redacted = new Error(message);
  redacted.name = error.name;
  redacted.stack = stack;
  return redacted;
}
