import { isDefinedError, ORPCError } from '@orpc/client';
import type { InputProblem } from '@shared/errors';

/** A user-facing sentence for any error a call can raise. */
export function describeError(error: unknown): string {
  if (error instanceof ORPCError) {
    const problems = problemsOf(error);
    if (problems.length > 0) return problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n');
    return error.message || error.code;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Field-level problems carried by INVALID_WORKFLOW and BAD_REQUEST errors. */
export function problemsOf(error: unknown): InputProblem[] {
  if (!(error instanceof ORPCError) && !isDefinedError(error)) return [];
  const data: unknown = (error as ORPCError<string, unknown>).data;
  if (typeof data !== 'object' || data === null) return [];
  const record = data as { problems?: unknown; issues?: unknown };
  if (Array.isArray(record.problems)) {
    // Workflow problems name a field path; import problems name a line of the file.
    return (record.problems as Array<{ path?: string; line?: number; message: string }>).map((problem) => ({
      path: problem.path ?? (problem.line !== undefined ? `line ${problem.line}` : '(input)'),
      message: problem.message,
    }));
  }
  if (Array.isArray(record.issues)) {
    return (record.issues as Array<{ path?: Array<string | number | { key: string | number }>; message: string }>).map(
      (issue) => ({
        path:
          (issue.path ?? []).map((part) => (typeof part === 'object' ? String(part.key) : String(part))).join('.') ||
          '(root)',
        message: issue.message,
      }),
    );
  }
  return [];
}

/**
 * For an effect that loads data: hands what `request` answers to `onValue`, or its error as a sentence to
 * `onError`, unless the effect was cleaned up first (a late answer must not land on a page that moved on).
 * Returns the clean-up.
 */
export function deliverUnlessCancelled<T>(
  request: Promise<T>,
  onValue: (value: T) => void,
  onError: (message: string) => void,
): () => void {
  let cancelled = false;
  request.then(
    (value) => {
      if (!cancelled) onValue(value);
    },
    (cause: unknown) => {
      if (!cancelled) onError(describeError(cause));
    },
  );
  return () => {
    cancelled = true;
  };
}
