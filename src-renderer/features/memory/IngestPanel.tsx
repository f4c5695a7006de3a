import { useRef, useState } from 'react';
import type { IngestReportDto } from '@shared/memory';
import { describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { ErrorMessage, Panel } from '../../ui/components';

/** Ingests a project folder into memory, with progress and a cancel button, then shows the report. */
export function IngestPanel({ onFinished }: { onFinished(): void }) {
  const [directory, setDirectory] = useState('');
  const [namespace, setNamespace] = useState('');
  const [progress, setProgress] = useState<{ done: number; found: number; file: string | null } | null>(null);
  const [report, setReport] = useState<IngestReportDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  const ingest = async () => {
    setError(null);
    setReport(null);
    controller.current = new AbortController();
    setProgress({ done: 0, found: 0, file: null });
    try {
      const stream = await api.memory.ingest(
        { directory: directory.trim(), ...(namespace.trim() ? { namespace: namespace.trim() } : {}) },
        { signal: controller.current.signal },
      );
      for await (const event of stream) {
        if (event.type === 'progress')
          setProgress({ done: event.filesDone, found: event.filesFound, file: event.currentFile });
        if (event.type === 'done') setReport(event.report);
      }
      onFinished();
    } catch (cause) {
      if (!controller.current.signal.aborted) setError(describeError(cause));
    } finally {
      setProgress(null);
      controller.current = null;
    }
  };

  return (
    <Panel title="Ingest a project">
      <form
        className="memory-filters"
        onSubmit={(event) => {
          event.preventDefault();
          if (directory.trim() && !progress) void ingest();
        }}
      >
        <input
          aria-label="Project folder to ingest"
          placeholder="/home/you/projects/my-app"
          value={directory}
          onChange={(event) => setDirectory(event.target.value)}
        />
        <input
          aria-label="Namespace (optional)"
          placeholder="namespace (default: folder name)"
          value={namespace}
          onChange={(event) => setNamespace(event.target.value)}
        />
        {progress ? (
          <button type="button" className="button danger" onClick={() => controller.current?.abort()}>
            Cancel
          </button>
        ) : (
          <button type="submit" className="button primary" disabled={!directory.trim()}>
            Ingest
          </button>
        )}
      </form>
      <ErrorMessage error={error} />
      {progress ? (
        <div role="status">
          <progress max={Math.max(progress.found, 1)} value={progress.done} />
          <span className="muted small">
            {' '}
            {progress.done} / {progress.found} files{progress.file ? ` · ${progress.file}` : ''}
          </span>
        </div>
      ) : null}
      {report ? (
        <p className="success-message" role="status" data-testid="ingest-report">
          {report.cancelled ? 'Cancelled: ' : 'Done: '}
          {report.filesIndexed} files indexed, {report.filesUnchanged} unchanged, {report.filesRemoved} removed,{' '}
          {report.chunksIndexed} chunks into “{report.namespace}”.
          {report.skipped.length > 0
            ? ` Skipped ${report.skipped.length}: ${report.skipped
                .slice(0, 5)
                .map((skip) => `${skip.path} (${skip.reason})`)
                .join(', ')}${report.skipped.length > 5 ? '…' : ''}`
            : ''}
        </p>
      ) : null}
    </Panel>
  );
}
