/**
 * The port through which the engine (code nodes, the run-code tool) and the CLI run untrusted code.
 * The Docker adapter implements it; the engine never runs code on the host.
 */
export type SandboxLanguage = 'python' | 'node';

export interface SandboxExecRequest {
  language: SandboxLanguage;
  /** The program's source text. */
  code: string;
  /** Host directory mounted read-only as the workspace, if any. */
  workspaceDir?: string;
  /** Per-execution wall-clock limit; the adapter's configured default applies when absent. */
  timeoutMs?: number;
  /** Extra data passed on stdin. */
  stdin?: string;
}

export type SandboxOutputStream = 'stdout' | 'stderr';

export interface SandboxArtifact {
  /** Path relative to the output folder. */
  path: string;
  sizeBytes: number;
  mediaType: string;
  /** Where the host copy was written. */
  hostPath: string;
  /** With `runArtifacts`: the copy's path inside the run's artifacts folder (`/`-separated). */
  stored?: string;
}

export interface SandboxExecResult {
  exitCode: number;
  /** Why it ended, when not by itself. */
  termination: 'exited' | 'timeout' | 'out-of-memory' | 'cancelled' | 'output-limit';
  stdout: string;
  stderr: string;
  /** Bytes dropped from the head of each stream when over the cap (the tail is kept). */
  truncated: { stdout: number; stderr: number };
  durationMs: number;
  artifacts: SandboxArtifact[];
}

export interface SandboxExecOptions {
  signal?: AbortSignal;
  /** Called with each chunk of output as it is produced. */
  onOutput?: (stream: SandboxOutputStream, chunk: string) => void;
  /** Host directory where artifacts the program writes to its output folder are copied. */
  artifactsDir?: string;
  /**
   * Or: copy them into this run's artifacts folder in the profile, under `folder` (segments joined by `/`,
   * each made a plain name), which is where `runs.artifact` reads them. `artifactsDir` wins when both are set.
   */
  runArtifacts?: { runId: string; folder: string };
}

export interface SandboxRunner {
  execute(request: SandboxExecRequest, options?: SandboxExecOptions): Promise<SandboxExecResult>;
}

/** Raised when no sandbox can be used (no Docker engine, image missing and not buildable…). */
export class SandboxUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxUnavailableError';
  }
}
