import type { TranscriptEntry, UnreadableEvent } from './run-view';

/** A node's transcript: the model's text, tool calls and results, sandbox consoles and notes. */
export function Transcript({ entries }: { entries: readonly TranscriptEntry[] }) {
  return entries.map((entry, index) => <Entry key={index} entry={entry} />);
}

function Entry({ entry }: { entry: TranscriptEntry }) {
  switch (entry.kind) {
    case 'text':
      return <p className="transcript-text">{entry.text}</p>;
    case 'tool-call':
      return (
        <pre className="transcript-tool">
          → {entry.name}({JSON.stringify(entry.input)})
        </pre>
      );
    case 'tool-result':
      return (
        <pre className={`transcript-tool${entry.isError ? ' transcript-error' : ''}`}>
          ← {entry.name}: {entry.output}
        </pre>
      );
    case 'console':
      return <SandboxConsole entry={entry} />;
    case 'unreadable':
      return <UnreadableEventView event={entry} />;
    case 'note':
      return <p className="muted small">{entry.text}</p>;
  }
}

function SandboxConsole({ entry }: { entry: Extract<TranscriptEntry, { kind: 'console' }> }) {
  const failed = entry.termination !== 'exited' || entry.exitCode !== 0;
  const cut = (bytes: number) => (bytes > 0 ? ` (${bytes} earlier bytes not shown)` : '');
  return (
    <section className="transcript-console" data-testid="sandbox-console" aria-label="Sandbox console">
      <p className={`small${failed ? ' transcript-error' : ' muted'}`}>
        {entry.language} · {entry.termination === 'exited' ? `exit ${entry.exitCode}` : entry.termination} ·{' '}
        {Math.round(entry.durationMs)} ms
      </p>
      {entry.stdoutTail ? (
        <pre className="transcript-tool" aria-label="stdout">
          {entry.stdoutTail}
          {cut(entry.truncated.stdout)}
        </pre>
      ) : null}
      {entry.stderrTail ? (
        <pre className="transcript-tool transcript-error" aria-label="stderr">
          {entry.stderrTail}
          {cut(entry.truncated.stderr)}
        </pre>
      ) : null}
      {entry.artifacts.length > 0 ? (
        <p className="muted small">
          Artifacts: {entry.artifacts.map((artifact) => `${artifact.path} (${artifact.sizeBytes} bytes)`).join(', ')}
        </p>
      ) : null}
    </section>
  );
}

/** An event this version cannot read, shown as it was stored. */
export function UnreadableEventView({ event }: { event: UnreadableEvent }) {
  return (
    <pre className="transcript-tool" title={event.problem}>
      #{event.seq} {event.rawType} (not readable here: {event.problem}) {event.data}
    </pre>
  );
}
