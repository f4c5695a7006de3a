/**
 * Schema migrations, applied in order. Entry N upgrades `user_version` N to N + 1. Never edit an
 * entry that has shipped: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (
    section    TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE workflows (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    node_count  INTEGER NOT NULL,
    document    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );
  CREATE INDEX workflows_by_updated ON workflows (updated_at DESC);
  `,
  // Project memory (src-main/memory). Vectors live in a sqlite-vec table the memory store creates at
  // run time, because its dimension depends on the embedder in use.
  `
  CREATE TABLE memory_items (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    namespace    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    text         TEXT NOT NULL,
    text_hash    TEXT NOT NULL,
    metadata     TEXT NOT NULL,
    run_id       TEXT,
    node_id      TEXT,
    file         TEXT,
    line_start   INTEGER,
    line_end     INTEGER,
    pinned       INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    last_used_at TEXT
  );
  CREATE INDEX memory_items_by_namespace ON memory_items (namespace, updated_at DESC);
  CREATE INDEX memory_items_by_hash ON memory_items (namespace, text_hash);
  CREATE INDEX memory_items_by_file ON memory_items (namespace, file);
  CREATE TABLE memory_chunks (
    id         INTEGER PRIMARY KEY,
    item_seq   INTEGER NOT NULL REFERENCES memory_items (seq) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    line_start INTEGER,
    line_end   INTEGER,
    embedding  BLOB
  );
  CREATE INDEX memory_chunks_by_item ON memory_chunks (item_seq);
  CREATE INDEX memory_chunks_without_vector ON memory_chunks (id) WHERE embedding IS NULL;
  CREATE VIRTUAL TABLE memory_chunks_fts USING fts5 (
    text, content = 'memory_chunks', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER memory_chunks_fts_insert AFTER INSERT ON memory_chunks BEGIN
    INSERT INTO memory_chunks_fts (rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TRIGGER memory_chunks_fts_delete AFTER DELETE ON memory_chunks BEGIN
    INSERT INTO memory_chunks_fts (memory_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
  END;
  CREATE TRIGGER memory_chunks_fts_update AFTER UPDATE OF text ON memory_chunks BEGIN
    INSERT INTO memory_chunks_fts (memory_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO memory_chunks_fts (rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TABLE memory_files (
    namespace    TEXT NOT NULL,
    root         TEXT NOT NULL,
    path         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    mtime_ms     REAL NOT NULL,
    content_hash TEXT NOT NULL,
    chunk_count  INTEGER NOT NULL,
    indexed_at   TEXT NOT NULL,
    PRIMARY KEY (namespace, root, path)
  );
  CREATE TABLE memory_index_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // Runs of the agent engine: one row per run, its seq-numbered event stream, and the journal of model
  // calls and tool results keyed by a hash of their request (resume, replay and fork read it).
  `
  CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    workflow_id   TEXT NOT NULL,
    status        TEXT NOT NULL,
    mode          TEXT NOT NULL,
    source_run_id TEXT,
    document      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX runs_by_created ON runs (created_at DESC);
  CREATE TABLE run_events (
    run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    at      TEXT NOT NULL,
    type    TEXT NOT NULL,
    node_id TEXT,
    data    TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;
  CREATE TABLE run_journal (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key    TEXT NOT NULL,
    kind   TEXT NOT NULL,
    value  TEXT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
  ) WITHOUT ROWID;
  `,
  // A run's workflow never changes after it starts, while its status, usage and outputs change on every
  // state transition: the workflow moves to a table of its own so those updates read and rewrite a small
  // row instead of the whole graph (SQLite rewrites every column of a row it updates).
  `
  CREATE TABLE run_workflows (
    run_id   TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    workflow TEXT NOT NULL
  );
  INSERT INTO run_workflows (run_id, workflow) SELECT id, json_extract(document, '$.workflow') FROM runs;
  UPDATE runs SET document = json_remove(document, '$.workflow');
  `, // Memory ranking by document: chunks also go into a stemmed index (porter: "caching" finds "cache") and
  // into an index of their fields (the file's path, the chunk's headings and declared symbols), each
  // weighted in its own BM25 ranking. The fields are extracted in the memory layer; NULL marks a chunk
  // written before this migration, which the memory store fills in when it opens.
  `
  ALTER TABLE memory_chunks ADD COLUMN path TEXT;
  ALTER TABLE memory_chunks ADD COLUMN headings TEXT;
  ALTER TABLE memory_chunks ADD COLUMN symbols TEXT;
  CREATE INDEX memory_chunks_without_fields ON memory_chunks (id) WHERE headings IS NULL;
  UPDATE memory_chunks SET path = (SELECT file FROM memory_items WHERE seq = memory_chunks.item_seq);
  CREATE VIRTUAL TABLE memory_chunks_stem USING fts5 (
    text, content = 'memory_chunks', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
  );
  CREATE VIRTUAL TABLE memory_chunks_fields USING fts5 (
    path, headings, symbols, content = 'memory_chunks', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
  );
  INSERT INTO memory_chunks_stem (memory_chunks_stem) VALUES ('rebuild');
  INSERT INTO memory_chunks_fields (memory_chunks_fields) VALUES ('rebuild');
  CREATE TRIGGER memory_chunks_ranked_insert AFTER INSERT ON memory_chunks BEGIN
    INSERT INTO memory_chunks_stem (rowid, text) VALUES (new.id, new.text);
    INSERT INTO memory_chunks_fields (rowid, path, headings, symbols) VALUES (new.id, new.path, new.headings, new.symbols);
  END;
  CREATE TRIGGER memory_chunks_ranked_delete AFTER DELETE ON memory_chunks BEGIN
    INSERT INTO memory_chunks_stem (memory_chunks_stem, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO memory_chunks_fields (memory_chunks_fields, rowid, path, headings, symbols)
      VALUES ('delete', old.id, old.path, old.headings, old.symbols);
  END;
  CREATE TRIGGER memory_chunks_stem_update AFTER UPDATE OF text ON memory_chunks BEGIN
    INSERT INTO memory_chunks_stem (memory_chunks_stem, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO memory_chunks_stem (rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TRIGGER memory_chunks_fields_update AFTER UPDATE OF path, headings, symbols ON memory_chunks BEGIN
    INSERT INTO memory_chunks_fields (memory_chunks_fields, rowid, path, headings, symbols)
      VALUES ('delete', old.id, old.path, old.headings, old.symbols);
    INSERT INTO memory_chunks_fields (rowid, path, headings, symbols) VALUES (new.id, new.path, new.headings, new.symbols);
  END;
  `,
  // Run comparison: the journal keeps, beside each answer, who asked (the scope), what was asked (the
  // request as sent) and in which order, so two runs' journals can be walked side by side to the first
  // request that differs. NULL marks an entry journaled before this migration (its order is its time).
  `
  ALTER TABLE run_journal ADD COLUMN scope TEXT;
  ALTER TABLE run_journal ADD COLUMN request TEXT;
  ALTER TABLE run_journal ADD COLUMN ordinal INTEGER;
  `,
  // The audit log (store/audit-repository.ts): append-only and hash-chained. The triggers refuse any
  // change or removal through SQL, so only someone editing the file by other means can tamper with it —
  // and `warroom audit verify` finds that at the first entry touched.
  `
  CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    run_id    TEXT,
    node_id   TEXT,
    actor     TEXT NOT NULL,
    details   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
  );
  CREATE INDEX audit_log_by_run ON audit_log (run_id, seq);
  CREATE INDEX audit_log_by_at ON audit_log (at);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
  END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
  END;
  `,
  // The Dashboard's aggregates (store/run-stats-repository.ts) read only the events that carry figures,
  // by time: a partial index per type keeps those range queries off the streamed text, and costs a write
  // only for the few events it covers.
  `
  CREATE INDEX run_events_usage_by_at ON run_events (at) WHERE type = 'llm.usage';
  CREATE INDEX run_events_retries_by_at ON run_events (at) WHERE type = 'llm.retry';
  CREATE INDEX run_events_sandbox_by_at ON run_events (at) WHERE type = 'sandbox.executed';
  `,
  // The journal becomes an ordinary (rowid) table with its keys as 32-byte blobs. Keyed by (run, request
  // hash) without a rowid, every entry — request and answer, often kilobytes — landed at a random place
  // in the tree, splitting full pages: the journal cost more to write than all of a step's events. Now
  // entries are appended in the order they were made, and only the small key index takes random
  // inserts. A key that is not hex (none is written so, but an old profile is not checked) keeps its bytes.
  `
  CREATE TABLE run_journal_entries (
    run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key     BLOB NOT NULL,
    kind    TEXT NOT NULL,
    value   TEXT NOT NULL,
    at      TEXT NOT NULL,
    scope   TEXT,
    request TEXT,
    ordinal INTEGER
  );
  INSERT INTO run_journal_entries (run_id, key, kind, value, at, scope, request, ordinal)
    SELECT run_id, coalesce(unhex(key), CAST(key AS BLOB)), kind, value, at, scope, request, ordinal
    FROM run_journal ORDER BY run_id, ordinal IS NOT NULL, ordinal, at, key;
  DROP TABLE run_journal;
  ALTER TABLE run_journal_entries RENAME TO run_journal;
  CREATE UNIQUE INDEX run_journal_by_key ON run_journal (run_id, key);
  `,
];
