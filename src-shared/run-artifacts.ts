import { z } from 'zod';

/** runs.artifact: which file, by its path inside the run's artifacts folder (`/`-separated, relative). */
export const RunArtifactInputSchema = z.object({
  runId: z.string().min(1).max(128),
  path: z
    .string()
    .min(1)
    .max(1024)
    .refine((path) => !path.startsWith('/') && !path.split(/[\\/]/).includes('..'), {
      message: "an artifact path is relative and stays inside the run's folder (no leading / and no ..)",
    }),
});

export const RunArtifactSchema = z.object({
  path: z.string(),
  mediaType: z.string(),
  sizeBytes: z.int().nonnegative(),
  /** The file's bytes, base64; a text artifact's after redaction. */
  base64: z.string(),
  /** Whether redaction changed the text. */
  redacted: z.boolean(),
});
export type RunArtifact = z.infer<typeof RunArtifactSchema>;

/** Shown inline in the run view (an SVG as an image from a data: URL, never as markup in the page). */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/svg+xml',
]);

/** A name that is one plain path segment: no separators, no `..`, nothing a file system treats specially. */
export function safeArtifactName(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80);
  return /^\.*$/.test(safe) ? `_${safe}` : safe;
}

/** The media type of an artifact, by its extension (what the sandbox reports and the API serves). */
export function artifactMediaType(file: string): string {
  const extension = /\.[^./\\]*$/.exec(file)?.[0].toLowerCase() ?? '';
  return MEDIA_TYPES[extension] ?? 'application/octet-stream';
}

const MEDIA_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.json': 'application/json',
  '.html': 'text/html',
  '.xml': 'application/xml',
  '.pdf': 'application/pdf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};
