import { z } from 'zod';
import { RunEventSchema } from './run-events';
import { RunSchema } from './runs';

/**
 * Run exports (`runs.export`, `warroom runs export`): a versioned JSON document of the run, its workflow
 * and its events, meant to be read back later; or one self-contained HTML report to read in any browser.
 * Both are redacted in the main process before they leave it.
 */

export const RunExportFormatSchema = z.enum(['json', 'html']);
export type RunExportFormat = z.infer<typeof RunExportFormatSchema>;

export const ExportRunInputSchema = z.object({
  runId: z.string().min(1).max(128),
  format: RunExportFormatSchema,
});

/** A file to save: its suggested name, its media type and its whole text. */
export const RunExportFileSchema = z.object({
  fileName: z.string(),
  mediaType: z.string(),
  content: z.string(),
});
export type RunExportFile = z.infer<typeof RunExportFileSchema>;

export const RUN_EXPORT_FORMAT = 'warroom.run-export';
export const RUN_EXPORT_VERSION = 1;

/**
 * The JSON export. The workflow is kept as the run stored it (a workflow document of its own
 * `schemaVersion`): a reader migrates it with the workflow parser, as it would a file.
 */
export const RunExportDocumentSchema = z.object({
  format: z.literal(RUN_EXPORT_FORMAT),
  formatVersion: z.literal(RUN_EXPORT_VERSION),
  exportedAt: z.iso.datetime(),
  /** The War Room version that wrote it. */
  exportedBy: z.string(),
  run: RunSchema,
  /** For a fork: the node re-run and its edited input. */
  fork: z.object({ nodeId: z.string(), input: z.unknown() }).nullable(),
  workflow: z.unknown(),
  events: z.array(RunEventSchema),
});
export type RunExportDocument = z.infer<typeof RunExportDocumentSchema>;
