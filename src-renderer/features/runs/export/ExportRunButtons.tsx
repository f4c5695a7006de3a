import { useState } from 'react';
import type { RunExportFile, RunExportFormat } from '@shared/run-export';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { ErrorMessage } from '../../../ui/components';

/** Hands the file to the browser (or Electron) as a download; the object URL lives only for the click. */
function download(file: RunExportFile): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the download has taken the blob by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const FORMATS: Array<{ format: RunExportFormat; label: string; title: string }> = [
  { format: 'json', label: 'Export JSON', title: 'The run, its workflow and its events as a JSON document (redacted)' },
  {
    format: 'html',
    label: 'Export HTML',
    title: 'A self-contained HTML report that opens in any browser, offline (redacted)',
  },
];

/** Downloads the run as a redacted JSON document or a self-contained HTML report. */
export function ExportRunButtons({ runId }: { runId: string }) {
  const [busy, setBusy] = useState<RunExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);

  const exportAs = async (format: RunExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      download(await api.runs.export({ runId, format }));
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      {FORMATS.map(({ format, label, title }) => (
        <button
          key={format}
          type="button"
          className="button small"
          title={title}
          disabled={busy !== null}
          onClick={() => void exportAs(format)}
        >
          {busy === format ? 'Exporting…' : label}
        </button>
      ))}
      <ErrorMessage error={error} />
    </>
  );
}
