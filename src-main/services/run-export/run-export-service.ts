import {
  RUN_EXPORT_FORMAT,
  RUN_EXPORT_VERSION,
  type RunExportDocument,
  type RunExportFile,
  type RunExportFormat,
} from '@shared/run-export';
import { RunSchema } from '@shared/runs';
import { RunNotFoundError } from '../../engine/errors';
import type { Redactor } from '../../privacy/port';
import type { RunStore } from '../../store/port';
import { renderRunReport } from './html-report';

export interface RunExportDeps {
  store: RunStore;
  redactor: Redactor;
  /** The War Room version, written into every export. */
  version: string;
  now: () => Date;
}

const MEDIA_TYPES: Record<RunExportFormat, string> = {
  json: 'application/json',
  html: 'text/html; charset=utf-8',
};

/** `Tea & biscuits` → `tea-biscuits`: a file name that is safe on every system. */
function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'run'
  );
}

/**
 * Run exports (`runs.export`, `warroom runs export`): the run, its workflow and its events, redacted
 * with the full rule set before anything is written, as a versioned JSON document or a self-contained
 * HTML report. The finished text passes the known-values check once more, so a secret can only get
 * into an export by being unknown to the redactor.
 */
export class RunExportService {
  constructor(private readonly deps: RunExportDeps) {}

  async export(runId: string, format: RunExportFormat): Promise<RunExportFile> {
    const { store, redactor } = this.deps;
    const record = store.getRun(runId);
    if (!record) throw new RunNotFoundError(runId);
    const { run, fork, workflow, events } = await redactor.redactDeep({
      run: RunSchema.parse(record),
      fork: record.fork,
      workflow: record.workflow,
      events: store.readEvents(runId, 0, Number.MAX_SAFE_INTEGER),
    });
    const exportedAt = this.deps.now().toISOString();
    const exportedBy = `War Room ${this.deps.version}`;
    let content: string;
    if (format === 'json') {
      const document: RunExportDocument = {
        format: RUN_EXPORT_FORMAT,
        formatVersion: RUN_EXPORT_VERSION,
        exportedAt,
        exportedBy,
        run,
        fork,
        workflow,
        events,
      };
      content = `${JSON.stringify(document, null, 2)}\n`;
    } else {
      content = renderRunReport({ run, workflow, events, exportedAt, exportedBy });
    }
    return {
      fileName: `${slug(run.workflowName)}-${run.id.replace(/[^\w-]/g, '-')}.${format}`,
      mediaType: MEDIA_TYPES[format],
      content: redactor.redactKnown(content),
    };
  }
}
