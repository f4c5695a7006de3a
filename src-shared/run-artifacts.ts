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
