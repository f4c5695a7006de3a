import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import {
  MemoryKindSchema,
  type IngestReportDto,
  type MemoryItemDto,
  type MemorySearchHitSchema,
  type MemoryStatsSchema,
} from '@shared/memory';
import { describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { EmptyState, ErrorMessage, PageHeader, Panel } from '../../ui/components';
import { downloadText, FilePickerButton } from '../../ui/files';

type MemoryKind = z.infer<typeof MemoryKindSchema>;
type Hit = z.infer<typeof MemorySearchHitSchema>;
type Stats = z.infer<typeof MemoryStatsSchema>;

const PAGE = 50;

function provenanceOf(item: MemoryItemDto): string | null {
  const { file, lineStart, lineEnd, runId, nodeId } = item.provenance;
  if (file) return lineStart ? `${file}:${lineStart}-${lineEnd ?? lineStart}` : file;
  if (runId) return nodeId ? `run ${runId} · ${nodeId}` : `run ${runId}`;
  return null;
}

/** The memory inspector: what agents know about each project, searchable, editable and deletable offline. */
export function MemoryPage() {
  const [stats, setStats] = useState<Stats | null>(null);
  const [namespace, setNamespace] = useState('');
  const [kind, setKind] = useState<MemoryKind | ''>('');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [items, setItems] = useState<MemoryItemDto[]>([]);
  const [total, setTotal] = useState(0);
  const [nextOffset, setNextOffset] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  const filters = useCallback(
    () => ({
      ...(namespace ? { namespaces: [namespace] } : {}),
      ...(kind ? { kinds: [kind] } : {}),
    }),
    [namespace, kind],
  );

  useEffect(() => {
    let cancelled = false;
    Promise.all([api.memory.stats({}), api.memory.list({ ...filters(), offset: 0, limit: PAGE })]).then(
      ([nextStats, page]) => {
        if (cancelled) return;
        setStats(nextStats);
        setItems(page.items);
        setTotal(page.total);
        setNextOffset(page.nextOffset);
      },
      (cause: unknown) => {
        if (!cancelled) setError(describeError(cause));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [filters, version]);

  const refresh = () => setVersion((n) => n + 1);

  const run = async (action: () => Promise<string | null>) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
      refresh();
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  const search = () =>
    run(async () => {
      if (!query.trim()) {
        setHits(null);
        return null;
      }
      setHits(await api.memory.search({ query: query.trim(), ...filters(), limit: 30 }));
      return null;
    });

  const loadMore = () =>
    run(async () => {
      if (nextOffset === null) return null;
      const page = await api.memory.list({ ...filters(), offset: nextOffset, limit: PAGE });
      setItems((current) => [...current, ...page.items]);
      setNextOffset(page.nextOffset);
      return null;
    });

  const updateItem = (next: MemoryItemDto) => {
    setItems((current) => current.map((item) => (item.id === next.id ? next : item)));
    // An edited text no longer matches the search's excerpt: show the text itself.
    setHits(
      (current) =>
        current?.map((hit) =>
          hit.item.id === next.id
            ? { ...hit, item: next, excerpt: next.text === hit.item.text ? hit.excerpt : '' }
            : hit,
        ) ?? null,
    );
  };
  const removeItem = (id: string) => {
    setItems((current) => current.filter((item) => item.id !== id));
    setHits((current) => current?.filter((hit) => hit.item.id !== id) ?? null);
    refresh();
  };

  return (
    <>
      <PageHeader
        title="Memory"
        subtitle="What agents have learned about your projects. Stored in this profile's database; nothing leaves the machine."
        actions={
          <>
            <button
              type="button"
              className="button"
              onClick={() =>
                void run(async () => {
                  const { jsonLines, count } = await api.memory.export(namespace ? { namespaces: [namespace] } : {});
                  downloadText(
                    `warroom-memory${namespace ? `-${namespace}` : ''}.jsonl`,
                    jsonLines,
                    'application/x-ndjson',
                  );
                  return `Exported ${count} memories.`;
                })
              }
            >
              Export JSONL
            </button>
            <FilePickerButton
              label="Import JSONL…"
              accept=".jsonl,.ndjson,application/x-ndjson,text/plain"
              testId="memory-import-file"
              onFile={(file) =>
                void run(async () => {
                  const result = await api.memory.import({ jsonLines: await file.text() });
                  return `Imported ${result.imported} memories (${result.replaced} replaced) from ${file.name}.`;
                })
              }
            />
          </>
        }
      />
      <ErrorMessage error={error} />
      {notice ? (
        <p className="success-message" role="status">
          {notice}
        </p>
      ) : null}
      {stats ? (
        <div className="cards">
          <Panel title="Memories">
            <p className="metric" data-testid="memory-total">
              {stats.totals.items}
            </p>
            <p className="muted small">
              {stats.totals.chunks} chunks · {stats.totals.pinned} pinned · {stats.totals.files} files
            </p>
          </Panel>
          <Panel title="Vector search">
            <p className="metric">{{ off: 'Off', ready: 'Ready', stale: 'Needs re-embedding' }[stats.vectors.state]}</p>
            <p className="muted small">
              {stats.vectors.embedder
                ? `${stats.vectors.embedder.id} (${stats.vectors.embedder.dimension} dimensions)`
                : 'Full-text search only: no embedding model installed.'}
            </p>
            {stats.vectors.state === 'stale' ? (
              <ReembedButton onDone={(message) => setNotice(message)} onError={(message) => setError(message)} />
            ) : null}
          </Panel>
          <Panel title="Namespaces">
            <p className="metric">{stats.namespaces.length}</p>
            <p className="muted small">{stats.namespaces.map((entry) => entry.namespace).join(', ') || 'none yet'}</p>
          </Panel>
        </div>
      ) : null}
      <IngestPanel onFinished={refresh} />
      <form
        className="memory-filters"
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <input
          type="search"
          aria-label="Search memory"
          placeholder="Search memory (full text + vectors)…"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <select aria-label="Namespace" value={namespace} onChange={(event) => setNamespace(event.target.value)}>
          <option value="">All namespaces</option>
          {stats?.namespaces.map((entry) => (
            <option key={entry.namespace} value={entry.namespace}>
              {entry.namespace} ({entry.items})
            </option>
          ))}
        </select>
        <select aria-label="Kind" value={kind} onChange={(event) => setKind(event.target.value as MemoryKind | '')}>
          <option value="">All kinds</option>
          {MemoryKindSchema.options.map((entry) => (
            <option key={entry} value={entry}>
              {entry}
            </option>
          ))}
        </select>
        <button type="submit" className="button primary">
          Search
        </button>
        {hits ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setHits(null);
              setQuery('');
            }}
          >
            Show all
          </button>
        ) : null}
      </form>
      {hits ? (
        hits.length === 0 ? (
          <EmptyState title="Nothing matched">
            <p className="muted">Try other words, or another namespace.</p>
          </EmptyState>
        ) : (
          <ul className="memory-list" aria-label="Search results">
            {hits.map((hit) => (
              <MemoryRow
                key={hit.item.id}
                item={hit.item}
                hit={hit}
                onChanged={updateItem}
                onDeleted={removeItem}
                onError={setError}
              />
            ))}
          </ul>
        )
      ) : items.length === 0 ? (
        <EmptyState title="No memories yet">
          <p className="muted">
            Ingest a project folder above, or run a workflow: agents store task summaries, decisions and fixes here.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="muted small">
            Showing {items.length} of {total}, newest first.
          </p>
          <ul className="memory-list" aria-label="Memories">
            {items.map((item) => (
              <MemoryRow key={item.id} item={item} onChanged={updateItem} onDeleted={removeItem} onError={setError} />
            ))}
          </ul>
          {nextOffset !== null ? (
            <button type="button" className="button" onClick={() => void loadMore()}>
              Load more
            </button>
          ) : null}
        </>
      )}
    </>
  );
}

function MemoryRow(props: {
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
        {where ? <code className="small">{where}</code> : null}
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
        <pre className="memory-text">{hit?.excerpt || item.text}</pre>
      )}
    </li>
  );
}

function IngestPanel({ onFinished }: { onFinished(): void }) {
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

function ReembedButton({ onDone, onError }: { onDone(message: string): void; onError(message: string): void }) {
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
