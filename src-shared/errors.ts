/**
 * Error codes that cross the process boundary. The server throws `ORPCError(code, { message, data })`;
 * the client receives the same code and message, so the UI and the CLI can react to a code instead of
 * parsing text. oRPC's own codes (BAD_REQUEST for schema failures, INTERNAL_SERVER_ERROR for anything
 * unexpected) are listed too, because clients see them as well.
 */
export const ErrorCode = {
  BadRequest: 'BAD_REQUEST',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  InvalidWorkflow: 'INVALID_WORKFLOW',
  DatabaseError: 'DATABASE_ERROR',
  /** The profile cannot be written: the disk is full, it is read-only, or another process locks it. */
  StorageError: 'STORAGE_ERROR',
  Unauthorized: 'UNAUTHORIZED',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The `data` of a STORAGE_ERROR: which problem, and the file or directory it concerns. */
export type StorageErrorData = {
  problem: 'full' | 'read-only' | 'locked';
  path: string;
};

/** One precise problem found in user input, e.g. `nodes[2].position.x: expected a number`. */
export interface InputProblem {
  path: string;
  message: string;
}

/** Formats a property path the way users read it: `nodes[2].config.prompt`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}
