import { ORPCError } from '@orpc/server';
import { ErrorCode } from '@shared/errors';
import { SandboxErrorCode } from '@shared/sandbox';
import { InvalidRunWorkflowError } from '../engine/engine';
import { RunNotFoundError, RunStateError } from '../engine/errors';
import { IngestPathError, MemoryImportError, MemoryItemNotFoundError } from '../memory/errors';
import { ImageBuildError } from '../sandbox/images';
import { SandboxUnavailableError } from '../sandbox/port';
import { TemplateNotFoundError } from '../services/template-service';
import { InvalidWorkflowError, WorkflowNotFoundError } from '../services/workflow-service';
import { DatabaseOpenError } from '../store/database';

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
