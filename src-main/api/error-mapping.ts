import { ORPCError } from '@orpc/server';
import { ErrorCode, type StorageErrorData } from '@shared/errors';
import { SandboxErrorCode } from '@shared/sandbox';
import { InvalidRunWorkflowError } from '../engine/engine';
import { RunNotFoundError, RunStateError } from '../engine/errors';
import { IngestPathError, MemoryImportError, MemoryItemNotFoundError } from '../memory/errors';
import { ImageBuildError } from '../sandbox/images';
import { SandboxUnavailableError } from '../sandbox/port';
import { ArtifactNotFoundError, ArtifactPathError } from '../services/run-artifacts/run-artifacts';
import { TemplateNotFoundError } from '../services/template-service';
import { InvalidWorkflowError, WorkflowNotFoundError } from '../services/workflow-service';
import { DatabaseOpenError } from '../store/database';
import { StorageError, toStorageError } from '../store/storage-error';
import { McpErrorCode } from '@shared/mcp';
import { McpConfigError } from '../mcp/config';
import { McpUnavailableError } from '../mcp/port';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** A domain error class, the API code it becomes, and the details a client needs to act on it. */
export type ErrorMapping = readonly [
  errorClass: ErrorClass<Error>,
  code: string,
  data: ((error: Error) => Record<string, unknown>) | undefined,
];

/** Types `data` by the row's own class, which is the only class the walker ever passes it. */
function mapping<E extends Error>(
  errorClass: ErrorClass<E>,
  code: string,
  data?: (error: E) => Record<string, unknown>,
): ErrorMapping {
  return [errorClass, code, data as ((error: Error) => Record<string, unknown>) | undefined];
}

/** The first row whose class the error is an instance of wins, so a subclass row goes above its parent's. */
export const DOMAIN_ERROR_MAPPINGS: readonly ErrorMapping[] = [
  mapping(InvalidWorkflowError, ErrorCode.InvalidWorkflow, (error) => ({ problems: error.problems })),
  mapping(WorkflowNotFoundError, ErrorCode.NotFound),
  mapping(TemplateNotFoundError, ErrorCode.NotFound),
  mapping(DatabaseOpenError, ErrorCode.DatabaseError),
  mapping(StorageError, ErrorCode.StorageError, (error): StorageErrorData => ({
    problem: error.problem,
    path: error.path,
  })),
  mapping(MemoryItemNotFoundError, ErrorCode.NotFound),
  mapping(MemoryImportError, ErrorCode.BadRequest, (error) => ({ problems: error.problems })),
  mapping(IngestPathError, ErrorCode.BadRequest),
  mapping(SandboxUnavailableError, SandboxErrorCode.Unavailable),
  mapping(ImageBuildError, SandboxErrorCode.ImageBuildFailed),
  mapping(InvalidRunWorkflowError, ErrorCode.InvalidWorkflow, (error) => ({ problems: error.problems })),
  mapping(RunNotFoundError, ErrorCode.NotFound),
  mapping(RunStateError, ErrorCode.Conflict),
  mapping(ArtifactNotFoundError, ErrorCode.NotFound),
  mapping(ArtifactPathError, ErrorCode.BadRequest),
  mapping(McpConfigError, McpErrorCode.ConfigInvalid, (error) => ({ file: error.file, problems: error.problems })),
  mapping(McpUnavailableError, McpErrorCode.Unavailable),
];

/**
 * Turns domain errors into typed API errors (code, message, data). API errors pass through; so do aborts,
 * unlogged, because the caller stopped the call and nothing failed. Anything not recognised becomes
 * INTERNAL_SERVER_ERROR without internals, and is logged in the main process.
 */
export function toApiError(
  caught: unknown,
  logError: (error: unknown) => void,
  /** The profile database: a full disk, a read-only profile or a lock met while writing it is a StorageError. */
  databasePath?: string,
): unknown {
  if (caught instanceof ORPCError) return caught;
  const storageError = databasePath === undefined ? null : toStorageError(caught, databasePath, { duringWrite: false });
  const error = storageError ?? caught;
  if (error instanceof Error) {
    const row = DOMAIN_ERROR_MAPPINGS.find(([errorClass]) => error instanceof errorClass);
    if (row) {
      const [, code, data] = row;
      return new ORPCError(code, { message: error.message, ...(data ? { data: data(error) } : {}) });
    }
    if (error.name === 'AbortError') return error;
  }
  logError(error);
  return new ORPCError(ErrorCode.Internal, { message: 'Internal error in War Room; see the main process log.' });
}
