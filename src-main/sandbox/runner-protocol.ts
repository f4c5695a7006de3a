/**
 * The wire protocol of the in-container runners (sandbox-images/{python,node}/runner.*): the host writes
 * one JSON request line on stdin; the runner answers with frames on stdout, each 1 byte of kind, 4 bytes
 * of big-endian payload length, then the payload.
 */
export interface RunnerRequest {
  code: string;
  stdin: string;
  cwd: string;
  /** Artifacts beyond this many bytes in total are listed but not sent. */
  maxArtifactBytes: number;
}

export interface RunnerExit {
  exitCode: number;
  signal: string | null;
  outOfMemory: boolean;
  durationMs: number;
}

export interface RunnerArtifact {
  path: string;
  size: number;
  /** Why the content was not sent, when it was not. */
  skipped?: string;
  data: Buffer;
}

export type RunnerFrame =
  | { kind: 'ready'; runner: string; version: string }
  | { kind: 'stdout' | 'stderr'; data: Buffer }
  | { kind: 'artifact'; artifact: RunnerArtifact }
  | { kind: 'exit'; exit: RunnerExit };

const HEADER_BYTES = 5;

export function encodeRunnerRequest(request: RunnerRequest): string {
  return `${JSON.stringify(request)}\n`;
}

/** Frames bytes the way the runners do; the tests use it to feed the decoder. */
export function encodeFrame(kind: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(kind, 0, 'latin1');
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

export class RunnerProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerProtocolError';
  }
}

/** Turns the runner's stdout bytes, in chunks of any size, into frames. */
export class RunnerFrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): RunnerFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: RunnerFrame[] = [];
    let offset = 0;
    while (this.pending.length - offset >= HEADER_BYTES) {
      const length = this.pending.readUInt32BE(offset + 1);
      if (this.pending.length - offset - HEADER_BYTES < length) break;
      const kind = String.fromCharCode(this.pending[offset] ?? 0);
      const payload = this.pending.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
      frames.push(parseFrame(kind, payload));
      offset += HEADER_BYTES + length;
    }
    this.pending = offset === 0 ? this.pending : Buffer.from(this.pending.subarray(offset));
    return frames;
  }
}

function parseFrame(kind: string, payload: Buffer): RunnerFrame {
  switch (kind) {
    case 'O':
      return { kind: 'stdout', data: payload };
    case 'E':
      return { kind: 'stderr', data: payload };
    case 'R': {
      const ready = JSON.parse(payload.toString('utf8')) as { runner: string; version: string };
      return { kind: 'ready', runner: ready.runner, version: ready.version };
    }
    case 'X':
      return { kind: 'exit', exit: JSON.parse(payload.toString('utf8')) as RunnerExit };
    case 'A': {
      const newline = payload.indexOf(10);
      if (newline < 0) throw new RunnerProtocolError('artifact frame without a header line');
      const header = JSON.parse(payload.subarray(0, newline).toString('utf8')) as Omit<RunnerArtifact, 'data'>;
      return { kind: 'artifact', artifact: { ...header, data: Buffer.from(payload.subarray(newline + 1)) } };
    }
    default:
      throw new RunnerProtocolError(`unknown runner frame kind ${JSON.stringify(kind)}`);
  }
}
