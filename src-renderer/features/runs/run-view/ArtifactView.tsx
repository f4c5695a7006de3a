import { useEffect, useState } from 'react';
import { INLINE_IMAGE_TYPES } from '@shared/run-artifacts';
import type { RunEventData } from '@shared/run-events';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { useWarRoom } from './war-room-store';

type ArtifactRef = RunEventData<'sandbox.executed'>['artifacts'][number];

/** Bigger images are offered for saving only: fetching them whole just to draw a thumbnail is not worth it. */
const MAX_INLINE_IMAGE_BYTES = 8 * 1024 * 1024;

/**
 * What a code execution wrote to /out: images shown inline, every file with a Save button. An artifact
 * with no `stored` path (runs from before artifacts were kept) is listed by name only.
 */
export function ArtifactList({ artifacts }: { artifacts: readonly ArtifactRef[] }) {
  const runId = useWarRoom((state) => state.runId);
  return (
    <ul className="war-artifacts small" aria-label="Artifacts">
      {artifacts.map((artifact) => (
        <li key={artifact.path} data-testid="artifact" data-path={artifact.path}>
          <div>
            <code>{artifact.path}</code> · {artifact.mediaType} · {artifact.sizeBytes} bytes{' '}
            {artifact.stored ? <SaveArtifactButton runId={runId} artifact={artifact} /> : null}
          </div>
          {artifact.stored &&
          INLINE_IMAGE_TYPES.has(artifact.mediaType) &&
          artifact.sizeBytes <= MAX_INLINE_IMAGE_BYTES ? (
            <InlineImage runId={runId} artifact={artifact} stored={artifact.stored} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** An image as an <img> from a data: URL — an SVG included, so its markup never becomes part of the page. */
function InlineImage({ runId, artifact, stored }: { runId: string; artifact: ArtifactRef; stored: string }) {
  const [source, setSource] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.runs
      .artifact({ runId, path: stored })
      .then((file) => {
        // The type checked here is the server's (by extension), never one the program chose.
        if (live && INLINE_IMAGE_TYPES.has(file.mediaType)) setSource(`data:${file.mediaType};base64,${file.base64}`);
      })
      .catch((cause: unknown) => live && setError(describeError(cause)));
    return () => {
      live = false;
    };
  }, [runId, stored]);
  if (error) return <p className="transcript-error small">{error}</p>;
  if (!source) return <p className="muted small">loading {artifact.path}…</p>;
  return <img className="war-artifact-image" src={source} alt={artifact.path} data-testid="artifact-image" />;
}

function SaveArtifactButton({ runId, artifact }: { runId: string; artifact: ArtifactRef }) {
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      const file = await api.runs.artifact({ runId, path: artifact.stored ?? '' });
      const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([bytes], { type: file.mediaType }));
      link.download = artifact.path.split('/').pop() ?? 'artifact';
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (cause) {
      setError(describeError(cause));
    }
  };
  return (
    <>
      <button type="button" className="button small" onClick={() => void save()} title={`Save ${artifact.path}`}>
        Save
      </button>
      {error ? <span className="transcript-error"> {error}</span> : null}
    </>
  );
}
