import { useState } from 'react';
import { describeError } from '../../api/errors';
import { api } from '../../stores/connection';

/** Rebuilds the vector index for the current embedder, showing its progress on the button. */
export function ReembedButton({ onDone, onError }: { onDone(message: string): void; onError(message: string): void }) {
  const [progress, setProgress] = useState<string | null>(null);
  return (
    <button
      type="button"
      className="button small"
      disabled={progress !== null}
      onClick={() =>
        void (async () => {
          try {
            const stream = await api.memory.reembed();
            for await (const step of stream) setProgress(`${step.done} / ${step.total}`);
            onDone('Vector index rebuilt.');
          } catch (cause) {
            onError(describeError(cause));
          } finally {
            setProgress(null);
          }
        })()
      }
    >
      {progress ? `Re-embedding ${progress}` : 'Re-embed now'}
    </button>
  );
}
