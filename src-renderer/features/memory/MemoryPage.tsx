import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import {
  MemoryKindSchema,
  type MemoryItemDto,
  type MemorySearchHitSchema,
  type MemoryStatsSchema,
} from '@shared/memory';
import { describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { EmptyState, ErrorMessage, PageHeader, Panel } from '../../ui/components';
import { downloadText, FilePickerButton } from '../../ui/files';
import { IngestPanel } from './IngestPanel';
import { MemoryRow } from './MemoryRow';
import { ReembedButton } from './ReembedButton';
import { SearchResults } from './SearchResults';

type MemoryKind = z.infer<typeof MemoryKindSchema>;
type Hit = z.infer<typeof MemorySearchHitSchema>;
type Stats = z.infer<typeof MemoryStatsSchema>;

const PAGE = 50;

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
          <SearchResults hits={hits} onChanged={updateItem} onDeleted={removeItem} onError={setError} />
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
