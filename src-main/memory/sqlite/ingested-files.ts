import type { TextChunk } from '../chunking';
import type { MemoryKind, NewMemoryItem } from '../port';
import type { MemoryItems } from './items';
import type { StatementCache } from './statements';

/** What was indexed of a file, so an unchanged file is not indexed again. */
export interface IngestedFileRecord {
  size: number;
  mtimeMs: number;
  contentHash: string;
  chunkCount: number;
}

export type IngestedFile = { namespace: string; root: string; path: string; kind: MemoryKind } & IngestedFileRecord;

/** The project files ingestion indexed: one record per file, and the items holding its chunks. */
export class IngestedFiles {
  constructor(
    private readonly statements: StatementCache,
    private readonly items: MemoryItems,
    private readonly now: () => Date,
  ) {}

  records(namespace: string, root: string): Map<string, IngestedFileRecord> {
    const rows = this.statements
      .sql(
        'SELECT path, size, mtime_ms AS mtimeMs, content_hash AS contentHash, chunk_count AS chunkCount FROM memory_files WHERE namespace = ? AND root = ?',
      )
      .all(namespace, root) as Array<IngestedFileRecord & { path: string }>;
    return new Map(rows.map((row) => [row.path, row]));
  }

  /** Records that a file was seen unchanged (only its modification time moved). */
  touch(namespace: string, root: string, path: string, mtimeMs: number): void {
    this.statements
      .sql('UPDATE memory_files SET mtime_ms = ? WHERE namespace = ? AND root = ? AND path = ?')
      .run(mtimeMs, namespace, root, path);
  }

  /** Replaces a file's chunks with new ones, atomically. */
  async replace(file: IngestedFile, chunks: readonly TextChunk[], signal?: AbortSignal): Promise<void> {
    const items: NewMemoryItem[] = chunks.map((chunk) => ({
      namespace: file.namespace,
      kind: file.kind,
      text: chunk.text,
      metadata: { source: 'ingest', root: file.root },
      provenance: { file: file.path, lineStart: chunk.lineStart, lineEnd: chunk.lineEnd },
    }));
    await this.items.insertMany(items, {
      signal,
      inTransaction: () => {
        this.removeItems(file.namespace, file.root, file.path);
        this.statements
          .sql(
            `INSERT INTO memory_files (namespace, root, path, size, mtime_ms, content_hash, chunk_count, indexed_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (namespace, root, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
               content_hash = excluded.content_hash, chunk_count = excluded.chunk_count, indexed_at = excluded.indexed_at`,
          )
          .run(
            file.namespace,
            file.root,
            file.path,
            file.size,
            file.mtimeMs,
            file.contentHash,
            chunks.length,
            this.now().toISOString(),
          );
      },
    });
  }

  /** Forgets a file that was deleted, became ignored, or can no longer be indexed. */
  remove(namespace: string, root: string, path: string): void {
    this.statements.transaction(() => {
      this.removeItems(namespace, root, path);
      this.statements
        .sql('DELETE FROM memory_files WHERE namespace = ? AND root = ? AND path = ?')
        .run(namespace, root, path);
    });
  }

  /** Forgets every file record of a namespace (its items are deleted by the caller). Call inside a transaction. */
  forgetNamespace(namespace: string): void {
    this.statements.sql('DELETE FROM memory_files WHERE namespace = ?').run(namespace);
  }

  private removeItems(namespace: string, root: string, path: string): void {
    const ids = (
      this.statements
        .sql(
          `SELECT id FROM memory_items WHERE namespace = ? AND file = ? AND json_extract(metadata, '$.source') = 'ingest'
             AND json_extract(metadata, '$.root') = ?`,
        )
        .all(namespace, path, root) as Array<{ id: string }>
    ).map((row) => row.id);
    this.items.deleteInTransaction(ids);
  }
}
