import type { z } from 'zod';
import type { MemoryItemDto, MemorySearchHitSchema } from '@shared/memory';
import { groupHitsByFile } from './highlight';
import { MemoryRow } from './MemoryRow';

type Hit = z.infer<typeof MemorySearchHitSchema>;

/** Search results grouped by file (one group per file, its hits in rank order); other memories stand alone. */
export function SearchResults(props: {
  hits: readonly Hit[];
  onChanged(item: MemoryItemDto): void;
  onDeleted(id: string): void;
  onError(message: string): void;
}) {
  return (
    <ul className="memory-list" aria-label="Search results">
      {groupHitsByFile(props.hits).map((group) => {
        const rows = group.hits.map((hit) => (
          <MemoryRow
            key={hit.item.id}
            item={hit.item}
            hit={hit}
            onChanged={props.onChanged}
            onDeleted={props.onDeleted}
            onError={props.onError}
          />
        ));
        if (group.file === null) return rows;
        return (
          <li key={`${group.namespace}\n${group.file}`} className="memory-file-group" data-testid="memory-file-group">
            <p className="memory-file-name">
              <code>{group.file}</code> <span className="muted small">{group.namespace}</span>
            </p>
            <ul className="memory-list">{rows}</ul>
          </li>
        );
      })}
    </ul>
  );
}
