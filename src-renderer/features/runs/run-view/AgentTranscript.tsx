import { memo } from 'react';
import type { AgentEntry, ConsoleChunk } from './agent-transcripts';
import { ArtifactList } from './ArtifactView';
import { useWarRoom, useWarRoomActions } from './war-room-store';

/**
 * One agent's transcript: pick the agent (or click its lane), then read its streamed text, tool calls
 * with their arguments and results, the memory its prompt was given, and its sandbox consoles.
 */
export function AgentTranscript() {
  const laneId = useWarRoom((state) => state.selectedLaneId ?? state.timeline.laneOrder[0] ?? null);
  const laneOrder = useWarRoom((state) => state.timeline.laneOrder);
  const entries = useWarRoom((state) => (laneId ? state.transcripts[laneId] : undefined));
  const room = useWarRoomActions();
  if (laneId === null) return <p className="muted small">No agent has started yet.</p>;
  return (
    <section className="war-transcript" aria-label="Agent transcript">
      <label className="field war-agent-picker">
        <span className="field-label">Agent</span>
        <select value={laneId} onChange={(event) => room.store.setState({ selectedLaneId: event.target.value })}>
          {laneOrder.map((id) => (
            <AgentOption key={id} laneId={id} />
          ))}
        </select>
      </label>
      <div className="transcript" data-testid="agent-transcript">
        {!entries || entries.length === 0 ? <p className="muted small">No output yet.</p> : null}
        {entries?.map((entry, index) => (
          <Entry key={index} entry={entry} />
        ))}
      </div>
    </section>
  );
}

/** Each option reads its own lane's label and depth: a frame that changed some lanes' spans redraws none. */
function AgentOption({ laneId }: { laneId: string }) {
  const label = useWarRoom((state) => state.timeline.lanes[laneId]?.label ?? laneId);
  const depth = useWarRoom((state) => state.timeline.lanes[laneId]?.depth ?? 0);
  return (
    <option value={laneId}>
      {'\u00a0\u00a0'.repeat(depth)}
      {label}
    </option>
  );
}

/** Entries are replaced, never changed: an entry that is the same object is not drawn again. */
const Entry = memo(function Entry({ entry }: { entry: AgentEntry }) {
  switch (entry.kind) {
    case 'text':
      return <p className="transcript-text">{entry.text}</p>;
    case 'tool':
      return (
        <div className="war-tool" data-testid="transcript-tool">
          <pre className="transcript-tool">
            → {entry.name}({JSON.stringify(entry.input)})
          </pre>
          {entry.output === null ? (
            <p className="muted small">running…</p>
          ) : (
            <pre className={`transcript-tool${entry.isError ? ' transcript-error' : ''}`}>← {entry.output}</pre>
          )}
        </div>
      );
    case 'memory':
      return (
        <details className="war-memory">
          <summary className="muted small">
            Memory: {entry.memories.length} item(s) added to the prompt ({entry.tokens} tokens)
          </summary>
          <ul className="small">
            {entry.memories.map((memory) => (
              <li key={memory.id}>
                {memory.kind} <code>{memory.id}</code> · score {memory.score.toFixed(2)} · {memory.reasons.join(', ')}
              </li>
            ))}
          </ul>
        </details>
      );
    case 'console':
      return <ConsoleView entry={entry} />;
    case 'note':
      return <p className={`small${entry.isError ? ' transcript-error' : ' muted'}`}>{entry.text}</p>;
    case 'unreadable':
      return (
        <pre className="transcript-tool" title={entry.problem}>
          #{entry.seq} {entry.rawType} (not readable here: {entry.problem}) {entry.data}
        </pre>
      );
  }
});

/** The sandbox console: what streamed while it ran, then how it ended (its final tails when nothing streamed). */
function ConsoleView({ entry }: { entry: Extract<AgentEntry, { kind: 'console' }> }) {
  const { result } = entry;
  const chunks: readonly ConsoleChunk[] =
    entry.chunks.length > 0 || !result
      ? entry.chunks
      : [
          ...(result.stdoutTail ? [{ stream: 'stdout' as const, text: result.stdoutTail }] : []),
          ...(result.stderrTail ? [{ stream: 'stderr' as const, text: result.stderrTail }] : []),
        ];
  const failed = result !== null && (result.termination !== 'exited' || result.exitCode !== 0);
  return (
    <section className="transcript-console" data-testid="sandbox-console" aria-label="Sandbox console">
      <p className={`small${failed ? ' transcript-error' : ' muted'}`}>
        {entry.language} ·{' '}
        {result === null
          ? 'running…'
          : `${result.termination === 'exited' ? `exit ${result.exitCode}` : result.termination} · ${Math.round(result.durationMs)} ms`}
      </p>
      <pre className="war-console" data-testid="console-output">
        {chunks.map((chunk, index) => (
          <span key={index} className={chunk.stream === 'stderr' ? 'transcript-error' : undefined}>
            {chunk.text}
          </span>
        ))}
      </pre>
      {result && result.artifacts.length > 0 ? <ArtifactList artifacts={result.artifacts} /> : null}
    </section>
  );
}
