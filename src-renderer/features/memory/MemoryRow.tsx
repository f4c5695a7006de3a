import { useState } from 'react';
import type { z } from 'zod';
import type { MemoryItemDto, MemorySearchHitSchema } from '@shared/memory';
import { TeamMemoryProvenanceSchema, type TeamMemoryProvenance } from '@shared/team-tasks';
import { describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { highlightExcerpt } from './highlight';

type Hit = z.infer<typeof MemorySearchHitSchema>;

export function provenanceOf(item: MemoryItemDto): string | null {
  const { file, lineStart, lineEnd, runId, nodeId } = item.provenance;
  if (file) return lineStart ? `${file}:${lineStart}-${lineEnd ?? lineStart}` : file;
  const team = teamOf(item);
  if (runId && team) return `run ${runId} · team ${team.nodeId} (${team.tasks.length} tasks)`;
  if (runId) return nodeId ? `run ${runId} · ${nodeId}` : `run ${runId}`;
  return null;
}

/** The team a synthesized memory came from, when it did. */
function teamOf(item: MemoryItemDto): TeamMemoryProvenance | null {
  const parsed = TeamMemoryProvenanceSchema.safeParse(item.metadata.team);
  return parsed.success ? parsed.data : null;
}

/** A team's task tree as lines, indented under the task that delegated each one. */
function taskTreeLines(team: TeamMemoryProvenance): string[] {
  const depth = new Map<string, number>();
  return team.tasks.map((task) => {
    const level = task.parentId === null ? 0 : (depth.get(task.parentId) ?? 0) + 1;
    depth.set(task.taskId, level);
    return `${'  '.repeat(level)}${task.taskId} [${task.role}] ${task.task} — ${task.status}`;
  });
}

/** One memory: its kind, provenance and text (for a search hit, the matching part, highlighted), and its actions. */
export function MemoryRow(props: {
  item: MemoryItemDto;
  hit?: Hit;
  onChanged(item: MemoryItemDto): void;
  onDeleted(id: string): void;
  onError(message: string): void;
}) {
  const { item, hit } = props;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(item.text);
  const where = provenanceOf(item);
  const team = teamOf(item);
  const act = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (cause) {
      props.onError(describeError(cause));
    }
  };

  return (
    <li className="memory-row" data-testid="memory-row">
      <div className="memory-meta">
        <span className="badge">{item.kind}</span>
        <span className="muted small">{item.namespace}</span>
        {where ? (
          <code className="small" title={team ? taskTreeLines(team).join('\n') : undefined}>
            {where}
          </code>
        ) : null}
        {item.pinned ? <span className="badge badge-store">pinned</span> : null}
        {hit ? <span className="muted small">score {hit.score.toFixed(3)}</span> : null}
        <span className="memory-actions">
          <button
            type="button"
            className="button small"
            onClick={() =>
              void act(async () => props.onChanged(await api.memory.pin({ id: item.id, pinned: !item.pinned })))
            }
          >
            {item.pinned ? 'Unpin' : 'Pin'}
          </button>
          <button type="button" className="button small" onClick={() => setEditing((shown) => !shown)}>
            {editing ? 'Close' : 'Edit'}
          </button>
          <button
            type="button"
            className="button small danger"
            onClick={() =>
              void act(async () => {
                if (!window.confirm('Delete this memory? This cannot be undone.')) return;
                await api.memory.delete({ ids: [item.id] });
                props.onDeleted(item.id);
              })
            }
          >
            Delete
          </button>
        </span>
      </div>
      {hit ? <p className="muted small">Why: {hit.reasons.join(', ')}</p> : null}
      {hit?.otherLines?.length ? (
        <p className="muted small">
          Also matches lines {hit.otherLines.map((range) => `${range.start}–${range.end}`).join(', ')}
        </p>
      ) : null}
      {editing ? (
        <div>
          <textarea
            className="prose-editor"
            rows={6}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button
            type="button"
            className="button small primary"
            disabled={!draft.trim() || draft === item.text}
            onClick={() =>
              void act(async () => {
                props.onChanged(await api.memory.update({ id: item.id, text: draft }));
                setEditing(false);
              })
            }
          >
            Save text
          </button>
        </div>
      ) : (
        <Excerpt item={item} hit={hit} />
      )}
    </li>
  );
}

/**
 * A hit's excerpt with line numbers (when it came from a file), the lines holding a matched word
 * highlighted and the words themselves marked. Without a hit, or once the text was edited, the text itself.
 */
function Excerpt({ item, hit }: { item: MemoryItemDto; hit: Hit | undefined }) {
  if (!hit?.excerpt) return <pre className="memory-text">{item.text}</pre>;
  const lines = highlightExcerpt(hit.excerpt, hit.terms ?? [], hit.lines?.start);
  return (
    <pre className="memory-text" data-testid="memory-excerpt">
      {lines.map((line, index) => (
        <span key={index} className={line.matches ? 'memory-line memory-line-match' : 'memory-line'}>
          {line.number !== null ? <span className="memory-line-number">{line.number}</span> : null}
          {line.segments.length === 0
            ? ' ' /* an empty block line would collapse to no height */
            : line.segments.map((segment, position) =>
                segment.match ? <mark key={position}>{segment.text}</mark> : segment.text,
              )}
        </span>
      ))}
    </pre>
  );
}
