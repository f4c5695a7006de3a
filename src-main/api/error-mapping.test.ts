import { ORPCError } from '@orpc/server';
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '@shared/errors';
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
import { StorageError } from '../store/storage-error';
import { McpErrorCode } from '@shared/mcp';
import { McpConfigError } from '../mcp/config';
import { McpUnavailableError } from '../mcp/port';
import { DOMAIN_ERROR_MAPPINGS, toApiError } from './error-mapping';

const workflowProblems = [{ path: 'nodes[0].kind', message: 'unknown kind' }];
const runProblems = [{ path: 'nodes[0]', message: 'no input', severity: 'error' as const, nodeId: 'a' }];
const importProblems = [{ line: 3, message: 'not JSON' }];
const mcpProblems = [{ path: 'mcpServers.x.command', message: 'the command is empty' }];

/** One instance per row of the table, in its order, with the code and data a client must receive. */
const cases: Array<[error: Error, code: string, data: unknown]> = [
  [new InvalidWorkflowError(workflowProblems), ErrorCode.InvalidWorkflow, { problems: workflowProblems }],
  [new WorkflowNotFoundError('w1'), ErrorCode.NotFound, undefined],
  [new TemplateNotFoundError('t1'), ErrorCode.NotFound, undefined],
  [new DatabaseOpenError('locked', 'the profile is in use'), ErrorCode.DatabaseError, undefined],
  [
    new StorageError('full', '/p/warroom.db', 'The disk holding /p/warroom.db is full'),
    ErrorCode.StorageError,
    { problem: 'full', path: '/p/warroom.db' },
  ],
  [new MemoryItemNotFoundError('m1'), ErrorCode.NotFound, undefined],
  [new MemoryImportError(importProblems), ErrorCode.BadRequest, { problems: importProblems }],
  [new IngestPathError('no such directory'), ErrorCode.BadRequest, undefined],
  [new SandboxUnavailableError('no Docker engine'), SandboxErrorCode.Unavailable, undefined],
  [new ImageBuildError('build failed'), SandboxErrorCode.ImageBuildFailed, undefined],
  [new InvalidRunWorkflowError(runProblems), ErrorCode.InvalidWorkflow, { problems: runProblems }],
  [new RunNotFoundError('r1'), ErrorCode.NotFound, undefined],
  [new RunStateError('the run is finished'), ErrorCode.Conflict, undefined],
  [new ArtifactNotFoundError('run r1 has no artifact "a.png"'), ErrorCode.NotFound, undefined],
  [new ArtifactPathError('artifact path "../a" must stay inside the run\'s folder'), ErrorCode.BadRequest, undefined],
  [
    new McpConfigError('/p/mcp.json', mcpProblems),
    McpErrorCode.ConfigInvalid,
    { file: '/p/mcp.json', problems: mcpProblems },
  ],
  [new McpUnavailableError('no MCP server "x"'), McpErrorCode.Unavailable, undefined],
];

describe('toApiError', () => {
  it('has a case here for every row of the table', () => {
    expect(cases.map(([error]) => error.constructor)).toEqual(DOMAIN_ERROR_MAPPINGS.map(([errorClass]) => errorClass));
  });

  it.each(cases)('maps %s to its code, message and data without logging', (error, code, data) => {
    const logError = vi.fn();
    const apiError = toApiError(error, logError);
    expect(apiError).toBeInstanceOf(ORPCError);
    expect(apiError).toMatchObject({ code, message: error.message, data });
    expect(logError).not.toHaveBeenCalled();
  });

  it('passes API errors and aborts through unchanged and unlogged', () => {
    const logError = vi.fn();
    const apiError = new ORPCError(ErrorCode.Unauthorized, { message: 'bad token' });
    const abort = new DOMException('stopped', 'AbortError');
    expect(toApiError(apiError, logError)).toBe(apiError);
    expect(toApiError(abort, logError)).toBe(abort);
    expect(logError).not.toHaveBeenCalled();
  });

  it("reports SQLite's full, read-only and busy errors as STORAGE_ERROR naming the profile database", () => {
    const logError = vi.fn();
    const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });
    const cases: Array<[Error, string, RegExp]> = [
      [sqliteError('SQLITE_FULL', 'database or disk is full'), 'full', /The disk holding \/p\/warroom\.db is full/],
      [sqliteError('SQLITE_READONLY', 'attempt to write a readonly database'), 'read-only', /is read-only/],
      [sqliteError('SQLITE_BUSY', 'database is locked'), 'locked', /locked by another process/],
    ];
    for (const [error, problem, message] of cases) {
      const apiError = toApiError(error, logError, '/p/warroom.db');
      expect(apiError).toMatchObject({ code: ErrorCode.StorageError, data: { problem, path: '/p/warroom.db' } });
      expect((apiError as Error).message).toMatch(message);
    }
    expect(logError).not.toHaveBeenCalled();
  });

  it('leaves a refused permission alone when it may come from reading a file', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/project/secret'"), { code: 'EACCES' });
    expect(toApiError(denied, () => {}, '/p/warroom.db')).toMatchObject({ code: ErrorCode.Internal });
  });

  it('turns an unknown error into a generic internal error without internals, and logs it', () => {
    const logError = vi.fn();
    const unknown = new TypeError('cannot read properties of undefined (reading "secretPath")');
    const apiError = toApiError(unknown, logError);
    expect(apiError).toBeInstanceOf(ORPCError);
    expect(apiError).toMatchObject({
      code: ErrorCode.Internal,
      message: 'Internal error in War Room; see the main process log.',
      data: undefined,
    });
    expect(JSON.stringify(apiError)).not.toContain('secretPath');
    expect(logError).toHaveBeenCalledWith(unknown);
  });
});
