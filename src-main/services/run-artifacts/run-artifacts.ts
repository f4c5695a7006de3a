import fs from 'node:fs/promises';
import path from 'node:path';
import { artifactMediaType } from '@shared/run-artifacts';
import type { Redactor } from '../../privacy/port';
import { runArtifactsDir } from '../../profile';

/** Text artifacts are redacted when served: a program may well print a secret into a CSV. */
function isText(mediaType: string): boolean {
  return mediaType.startsWith('text/') || mediaType === 'application/json' || mediaType === 'application/xml';
}

/** Served whole in one message: bigger files are refused rather than sent by halves. */
export const MAX_SERVED_ARTIFACT_BYTES = 25 * 1024 * 1024;

export class ArtifactNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArtifactNotFoundError';
  }
}

export class ArtifactPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArtifactPathError';
  }
}

export interface ServedArtifact {
  path: string;
  mediaType: string;
  sizeBytes: number;
  /** The bytes, base64: text artifacts after redaction. */
  base64: string;
  /** Whether redaction changed the file's text. */
  redacted: boolean;
}

/** Reads a run's artifact for the API, refusing any path that leads outside that run's folder. */
export class RunArtifactReader {
  constructor(
    private readonly profileDir: string,
    private readonly redactor: Redactor,
  ) {}

  async read(runId: string, relativePath: string): Promise<ServedArtifact> {
    const root = path.resolve(runArtifactsDir(this.profileDir, runId));
    const segments = relativePath.split(/[\\/]/);
    if (path.isAbsolute(relativePath) || segments.some((segment) => segment === '..' || segment.includes('\0'))) {
      throw new ArtifactPathError(`artifact path ${JSON.stringify(relativePath)} must stay inside the run's folder`);
    }
    const file = path.resolve(root, relativePath);
    if (!file.startsWith(root + path.sep)) {
      throw new ArtifactPathError(`artifact path ${JSON.stringify(relativePath)} must stay inside the run's folder`);
    }
    // A symbolic link planted in the folder must not lead out of it either.
    const real = await fs.realpath(file).catch(() => null);
    const realRoot = await fs.realpath(root).catch(() => null);
    const stat = real ? await fs.stat(real).catch(() => null) : null;
    if (!real || !realRoot || !real.startsWith(realRoot + path.sep) || !stat?.isFile()) {
      throw new ArtifactNotFoundError(`run ${runId} has no artifact ${JSON.stringify(relativePath)}`);
    }
    if (stat.size > MAX_SERVED_ARTIFACT_BYTES) {
      throw new ArtifactPathError(
        `artifact ${JSON.stringify(relativePath)} is ${stat.size} bytes, more than the ${MAX_SERVED_ARTIFACT_BYTES} served`,
      );
    }
    const mediaType = artifactMediaType(file);
    const bytes = await fs.readFile(real);
    if (!isText(mediaType)) {
      return {
        path: relativePath,
        mediaType,
        sizeBytes: bytes.length,
        base64: bytes.toString('base64'),
        redacted: false,
      };
    }
    const text = bytes.toString('utf8');
    const redactedText = await this.redactor.redact(text);
    const served = Buffer.from(redactedText, 'utf8');
    return {
      path: relativePath,
      mediaType,
      sizeBytes: served.length,
      base64: served.toString('base64'),
      redacted: redactedText !== text,
    };
  }
}
