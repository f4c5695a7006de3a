import type { RunCommandIo } from '../run-command';

/** What a CLI command printed and was asked, kept for the test to read. */
export interface CapturedIo extends RunCommandIo {
  lines: string[];
  errors: string[];
  asked: string[];
}

/**
 * The command's terminal, captured: printed lines in `lines`, errors in `errors`. Given `answers`, it is an
 * interactive terminal whose questions (kept in `asked`) get those answers in turn; without, nobody can answer.
 */
export function captureIo(answers?: string[]): CapturedIo {
  const lines: string[] = [];
  const errors: string[] = [];
  const asked: string[] = [];
  return {
    lines,
    errors,
    asked,
    out: (line) => lines.push(line),
    err: (line) => errors.push(line),
    ...(answers
      ? {
          ask: (question: string) => {
            asked.push(question);
            return Promise.resolve(answers.shift() ?? '');
          },
        }
      : {}),
  };
}
