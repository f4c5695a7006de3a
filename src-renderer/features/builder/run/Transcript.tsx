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
  return (
    <section className="transcript-console" data-testid="sandbox-console" aria-label="Sandbox console">
      <p className={`small${failed ? ' transcript-error' : ' muted'}`}>
        {entry.language} · {entry.termination === 'exited' ? `exit ${entry.exitCode}` : entry.termination} ·{' '}
        {Math.round(entry.durationMs)} ms
      </p>
      <OutputTail stream="stdout" tail={entry.stdoutTail} earlierBytes={entry.truncated.stdout} />
      <OutputTail stream="stderr" tail={entry.stderrTail} earlierBytes={entry.truncated.stderr} />
      {entry.artifacts.length > 0 ? (
        <p className="muted small">
          Artifacts: {entry.artifacts.map((artifact) => `${artifact.path} (${artifact.sizeBytes} bytes)`).join(', ')}
        </p>
      ) : null}
    </section>
  );
}

/** The end of one output stream of a sandbox run, and how much came before it; nothing when it wrote nothing. */
function OutputTail(props: { stream: 'stdout' | 'stderr'; tail: string; earlierBytes: number }) {
  if (!props.tail) return null;
  return (
    <pre className={`transcript-tool${props.stream === 'stderr' ? ' transcript-error' : ''}`} aria-label={props.stream}>
      {props.tail}
      {props.earlierBytes > 0 ? ` (${props.earlierBytes} earlier bytes not shown)` : ''}
    </pre>
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
