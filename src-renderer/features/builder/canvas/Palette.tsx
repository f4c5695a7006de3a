import { useMemo, useState } from 'react';
import { findNodeKind } from '@shared/node-kinds';
import { NODE_KIND_DRAG_TYPE } from './Canvas';
import { paletteGroups } from './palette-groups';
import { KIND_ICONS } from './kind-icons';
import { editorStore } from '../document/editor';

const ANNOTATION_ENTRIES = [
  { kind: 'comment', title: 'Comment', description: 'A sticky note; the engine ignores it.', icon: '✎' },
  { kind: 'group', title: 'Group', description: 'A labelled frame around related nodes.', icon: '▢' },
] as const;

/** Every node kind the engine registers, grouped and searchable; drag one onto the canvas (or press Enter). */
export function Palette() {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return paletteGroups()
      .map((group) => ({
        title: group.title,
        kinds: group.kinds.filter((kind) => {
          const descriptor = findNodeKind(kind);
          const text = `${kind} ${descriptor?.title ?? ''} ${descriptor?.description ?? ''}`.toLowerCase();
          return needle === '' || text.includes(needle);
        }),
      }))
      .filter((group) => group.kinds.length > 0);
  }, [query]);

  return (
    <aside className="palette" aria-label="Node palette">
      <input
        type="search"
        placeholder="Search nodes…"
        aria-label="Search nodes"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {groups.length === 0 ? <p className="muted small">No node kind matches “{query}”.</p> : null}
      <section>
        <h3 className="palette-group">Canvas</h3>
        <ul>
          {ANNOTATION_ENTRIES.map((entry) => (
            <li key={entry.kind}>
              <button
                type="button"
                className="palette-item"
                draggable
                data-testid={`palette-${entry.kind}`}
                title={`${entry.description} — drag onto the canvas, or press Enter to add`}
                onDragStart={(event) => {
                  event.dataTransfer.setData(NODE_KIND_DRAG_TYPE, entry.kind);
                  event.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => editorStore.getState().addAnnotation(entry.kind, { x: 40, y: 40 })}
              >
                <span className="palette-icon" aria-hidden="true">
                  {entry.icon}
                </span>
                <span className="palette-text">
                  <span className="palette-title">{entry.title}</span>
                  <span className="palette-description">{entry.description}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      {groups.map((group) => (
        <section key={group.title}>
          <h3 className="palette-group">{group.title}</h3>
          <ul>
            {group.kinds.map((kind) => {
              const descriptor = findNodeKind(kind);
              return (
                <li key={kind}>
                  <button
                    type="button"
                    className="palette-item"
                    draggable
                    data-testid={`palette-${kind}`}
                    title={`${descriptor?.description ?? ''} — drag onto the canvas, or press Enter to add`}
                    onDragStart={(event) => {
                      event.dataTransfer.setData(NODE_KIND_DRAG_TYPE, kind);
                      event.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => {
                      // Keyboard and click users get the node near the top-left of the graph.
                      const count = editorStore.getState().workflow?.nodes.length ?? 0;
                      editorStore.getState().addNode(kind, { x: 40 + (count % 5) * 40, y: 40 + count * 20 });
                    }}
                  >
                    <span className="palette-icon" aria-hidden="true">
                      {KIND_ICONS[kind] ?? '•'}
                    </span>
                    <span className="palette-text">
                      <span className="palette-title">{descriptor?.title ?? kind}</span>
                      <span className="palette-description">{descriptor?.description}</span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </aside>
  );
}
