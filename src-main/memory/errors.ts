/** Domain errors of the memory store; the API maps each to a typed error code. */
export class MemoryItemNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`No memory item with id ${id}`);
    this.name = 'MemoryItemNotFoundError';
  }
}

export interface ImportProblem {
  /** 1-based line number in the JSON lines input. */
  line: number;
  message: string;
}

/** The whole import was refused (nothing was written) because these lines are not valid items. */
export class MemoryImportError extends Error {
  constructor(readonly problems: readonly ImportProblem[]) {
    super(
      `Import refused, nothing was written: ${problems
        .slice(0, 5)
        .map((problem) => `line ${problem.line}: ${problem.message}`)
        .join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    );
    this.name = 'MemoryImportError';
  }
}

/** A directory to ingest that does not exist or is not a directory. */
export class IngestPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestPathError';
  }
}
