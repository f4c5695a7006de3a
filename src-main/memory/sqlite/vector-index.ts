import type Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import type { EmbedderIdentity } from '../embedder';
import type { StatementCache } from './statements';

/** Loads sqlite-vec into a connection; the memory store needs it for vector search. */
export function loadVectorExtension(db: Database.Database): void {
  sqliteVec.load(db);
}

export function hasVectorExtension(db: Database.Database): boolean {
  try {
    db.prepare('SELECT vec_version()').get();
    return true;
  } catch {
    return false;
  }
}

const STATE_KEY = 'embedder';

/**
 * The approximate-nearest-neighbour side of memory. Each chunk's float vector is kept in
 * `memory_chunks.embedding`; this sqlite-vec table holds its sign bits (1 bit per dimension) partitioned
 * by namespace. A search scans the bits (hamming distance: 32x less data than float32, which keeps
 * 100k chunks well under the latency budget), then re-scores the best few hundred with exact cosine
 * from the float vectors.
 */
export class VectorIndex {
  constructor(private readonly statements: StatementCache) {}

  /** Which embedder built the vectors in this database, if any. */
  recorded(): EmbedderIdentity | null {
    const row = this.statements.sql('SELECT value FROM memory_index_state WHERE key = ?').get(STATE_KEY) as
      { value: string } | undefined;
    return row ? (JSON.parse(row.value) as EmbedderIdentity) : null;
  }

  /** Drops every vector and prepares an empty table for `identity`'s dimension. */
  reset(identity: EmbedderIdentity): void {
    this.statements.clear();
    const { db } = this.statements;
    this.statements.transaction(() => {
      db.exec('DROP TABLE IF EXISTS memory_vectors');
      db.exec('UPDATE memory_chunks SET embedding = NULL WHERE embedding IS NOT NULL');
      db.exec(
        `CREATE VIRTUAL TABLE memory_vectors USING vec0 (chunk_id INTEGER PRIMARY KEY, bits bit[${paddedBits(identity.dimension)}], namespace TEXT PARTITION KEY, kind TEXT)`,
      );
      this.statements
        .sql(
          'INSERT INTO memory_index_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        )
        .run(STATE_KEY, JSON.stringify(identity));
    });
  }

  /** Stores one chunk's vector (float for re-scoring, bits for the scan). Call inside a transaction. */
  put(chunkId: number, namespace: string, kind: string, vector: Float32Array): void {
    this.statements
      .sql('UPDATE memory_chunks SET embedding = ? WHERE id = ?')
      .run(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength), chunkId);
    this.statements.sql('DELETE FROM memory_vectors WHERE chunk_id = ?').run(BigInt(chunkId));
    this.statements
      .sql('INSERT INTO memory_vectors (chunk_id, bits, namespace, kind) VALUES (?, vec_bit(?), ?, ?)')
      .run(BigInt(chunkId), signBits(vector), namespace, kind);
  }

  remove(chunkIds: readonly number[]): void {
    const statement = this.statements.sql('DELETE FROM memory_vectors WHERE chunk_id = ?');
    for (const chunkId of chunkIds) statement.run(BigInt(chunkId));
  }

  setKind(chunkIds: readonly number[], kind: string): void {
    const statement = this.statements.sql('UPDATE memory_vectors SET kind = ? WHERE chunk_id = ?');
    for (const chunkId of chunkIds) statement.run(kind, BigInt(chunkId));
  }

  /** Candidate chunk ids nearest to `query` by hamming distance, within the namespaces/kinds given. */
  candidates(
    query: Float32Array,
    count: number,
    filters: { namespaces?: readonly string[]; kinds?: readonly string[] },
  ): number[] {
    const conditions = ['bits MATCH vec_bit(?)', 'k = ?'];
    const parameters: unknown[] = [signBits(query), count];
    if (filters.namespaces?.length) {
      conditions.push(`namespace IN (${filters.namespaces.map(() => '?').join(', ')})`);
      parameters.push(...filters.namespaces);
    }
    if (filters.kinds?.length) {
      conditions.push(`kind IN (${filters.kinds.map(() => '?').join(', ')})`);
      parameters.push(...filters.kinds);
    }
    const rows = this.statements
      .sql(`SELECT chunk_id FROM memory_vectors WHERE ${conditions.join(' AND ')} ORDER BY distance`)
      .all(...parameters) as Array<{ chunk_id: number }>;
    return rows.map((row) => row.chunk_id);
  }
}

function paddedBits(dimension: number): number {
  return Math.ceil(dimension / 8) * 8;
}

/** One bit per dimension (set when positive), padded to whole bytes as sqlite-vec's bit vectors require. */
function signBits(vector: Float32Array): Buffer {
  const bytes = Buffer.alloc(paddedBits(vector.length) / 8);
  for (let index = 0; index < vector.length; index++) {
    if ((vector[index] ?? 0) > 0) bytes[index >> 3] = (bytes[index >> 3] ?? 0) | (1 << (index & 7));
  }
  return bytes;
}
