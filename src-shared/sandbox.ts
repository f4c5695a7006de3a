import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';

/** The API's view of the Docker sandbox: status, image builds with progress, and one-off executions. */

export const SandboxLanguageSchema = z.enum(['python', 'node']);
export type SandboxLanguageName = z.infer<typeof SandboxLanguageSchema>;

/** Error codes the sandbox routes raise (besides the generic ones in errors.ts). */
export const SandboxErrorCode = {
  Unavailable: 'SANDBOX_UNAVAILABLE',
  ImageBuildFailed: 'SANDBOX_IMAGE_BUILD_FAILED',
} as const;

export const SandboxStatusSchema = z.object({
  engine: z.object({
    reachable: z.boolean(),
    endpoint: z.string(),
    version: z.string().nullable(),
    error: z.string().nullable(),
  }),
  images: z.array(z.object({ language: SandboxLanguageSchema, tag: z.string(), present: z.boolean() })),
  warmContainers: z.record(z.string(), z.int().nonnegative()),
});
export type SandboxStatus = z.infer<typeof SandboxStatusSchema>;

export const ImageBuildEventSchema = z.object({
  /** The image being built: a language image or the offline base. */
  image: z.string(),
  /** Dockerfile step counts when known (0 of 0 while a step count is not known yet). */
  step: z.int().nonnegative(),
  totalSteps: z.int().nonnegative(),
  message: z.string(),
  done: z.boolean(),
});
export type ImageBuildEvent = z.infer<typeof ImageBuildEventSchema>;

export const SandboxArtifactSchema = z.object({
  path: z.string(),
  sizeBytes: z.int().nonnegative(),
  mediaType: z.string(),
  hostPath: z.string(),
});

export const SandboxExecResultSchema = z.object({
  exitCode: z.int(),
  termination: z.enum(['exited', 'timeout', 'out-of-memory', 'cancelled', 'output-limit']),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.object({ stdout: z.int().nonnegative(), stderr: z.int().nonnegative() }),
  durationMs: z.number().nonnegative(),
  artifacts: z.array(SandboxArtifactSchema),
});

export const SandboxExecEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('output'), stream: z.enum(['stdout', 'stderr']), chunk: z.string() }),
  z.object({ type: z.literal('result'), result: SandboxExecResultSchema }),
]);
export type SandboxExecEvent = z.infer<typeof SandboxExecEventSchema>;

export const sandboxContract = {
  status: oc.output(SandboxStatusSchema),
  /** Builds missing images (all, or `force` to rebuild), streaming build progress. */
  build: oc
    .input(z.object({ languages: z.array(SandboxLanguageSchema).optional(), force: z.boolean().optional() }))
    .output(eventIterator(ImageBuildEventSchema)),
  /** Runs one program with the configured limits; streams its output, then its result. */
  exec: oc
    .input(
      z.object({
        language: SandboxLanguageSchema,
        code: z.string().max(1_000_000),
        stdin: z.string().max(10_000_000).optional(),
        timeoutSeconds: z.number().min(1).max(3600).optional(),
      }),
    )
    .output(eventIterator(SandboxExecEventSchema)),
};
