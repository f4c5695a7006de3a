import { chunkFields } from '../fields';
import type { StatementCache } from './statements';

const BATCH = 1000;

/**
 * Extracts the ranking fields (path, headings, symbols) of chunks written before the fields existed:
 * the migration that added them cannot parse text, so it leaves them NULL for the store to fill in once.
 * Batches keep each transaction short on a large memory.
 */
export function backfillChunkFields(statements: StatementCache): number {
  const nextBatch = statements.sql(
    `SELECT c.id, c.text, i.file FROM memory_chunks c JOIN memory_items i ON i.seq = c.item_seq
     WHERE c.headings IS NULL ORDER BY c.id LIMIT ?`,
  );
  const write = statements.sql('UPDATE memory_chunks SET path = ?, headings = ?, symbols = ? WHERE id = ?');
  let filled = 0;
  for (;;) {
    const rows = nextBatch.all(BATCH) as Array<{ id: number; text: string; file: string | null }>;
    if (rows.length === 0) return filled;
    statements.transaction(() => {
      for (const row of rows) {
        const fields = chunkFields(row.text, row.file);
        write.run(fields.path, fields.headings, fields.symbols, row.id);
      }
    });
    filled += rows.length;
  }
}
