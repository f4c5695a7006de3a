import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowSchema, type Workflow, type WorkflowSummary } from '@shared/workflow';
import { reportingStorageErrors, toStorageError } from './storage-error';

interface WorkflowRow {
  id: string;
  name: string;
  description: string;
  node_count: number;
  document: string;
  updated_at: string;
}

/**
 * Workflows live in the database (transactional, fast to list) and are mirrored as pretty-printed
 * JSON files in `<profile>/workflows/`, so users can read, diff and commit them with ordinary tools.
 */
export class WorkflowRepository {
  constructor(
    private readonly db: Database.Database,
    private readonly filesDir: string,
  ) {
    fs.mkdirSync(filesDir, { recursive: true });
  }

  list(): WorkflowSummary[] {
    const rows = this.db
      .prepare('SELECT id, name, description, node_count, updated_at FROM workflows ORDER BY updated_at DESC, id')
      .all() as Omit<WorkflowRow, 'document'>[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      nodeCount: row.node_count,
      updatedAt: row.updated_at,
    }));
  }

  get(id: string): Workflow | null {
    const row = this.db.prepare('SELECT document FROM workflows WHERE id = ?').get(id) as
      Pick<WorkflowRow, 'document'> | undefined;
    return row ? WorkflowSchema.parse(JSON.parse(row.document)) : null;
  }

  exists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM workflows WHERE id = ?').get(id) !== undefined;
  }

  /**
   * The file's new content is written aside first, then the row, then the file is renamed into place: a
   * full disk or a read-only profile fails before anything changed, and the row and the file agree.
   */
  save(workflow: Workflow): Workflow {
    const document = JSON.stringify(workflow, null, 2) + '\n';
    const file = this.filePath(workflow.id);
    reportingStorageErrors(this.db.name, () => {
      const replace = prepareFileReplacement(file, document);
      try {
        this.db
          .prepare(
            `INSERT INTO workflows (id, name, description, node_count, document, created_at, updated_at)
             VALUES (@id, @name, @description, @nodeCount, @document, @createdAt, @updatedAt)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description,
               node_count = excluded.node_count, document = excluded.document, updated_at = excluded.updated_at`,
          )
          .run({
            id: workflow.id,
            name: workflow.name,
            description: workflow.description,
            nodeCount: workflow.nodes.length,
            document,
            createdAt: workflow.createdAt,
            updatedAt: workflow.updatedAt,
          });
      } catch (error) {
        replace.abandon();
        throw error;
      }
      replace.commit();
    });
    return workflow;
  }

  delete(id: string): boolean {
    return reportingStorageErrors(this.db.name, () => {
      const { changes } = this.db.prepare('DELETE FROM workflows WHERE id = ?').run(id);
      fs.rmSync(this.filePath(id), { force: true });
      return changes > 0;
    });
  }

  filePath(id: string): string {
    // Ids are restricted by the schema to [A-Za-z0-9_.:-]; ':' is not allowed in Windows file names.
    return path.join(this.filesDir, `${id.replace(/:/g, '_')}.json`);
  }
}

/** Write-then-rename, so a crash or a full disk never leaves a half-written file behind. */
export function writeFileAtomically(filePath: string, content: string, mode = 0o644): void {
  prepareFileReplacement(filePath, content, mode).commit();
}

/**
 * Writes `content` (flushed to disk) beside `filePath`; `commit()` renames it into place, `abandon()`
 * removes it. A write that fails half-way (the disk filled up) removes what it wrote and throws.
 */
function prepareFileReplacement(filePath: string, content: string, mode = 0o644) {
  const temporary = `${filePath}.${process.pid}.tmp`;
  const abandon = () => fs.rmSync(temporary, { force: true });
  try {
    const descriptor = fs.openSync(temporary, 'w', mode);
    try {
      fs.writeFileSync(descriptor, content);
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
  } catch (error) {
    abandon();
    // A write to a descriptor does not say which file it was.
    throw toStorageError(error, filePath) ?? error;
  }
  return {
    commit: () => {
      try {
        fs.renameSync(temporary, filePath);
      } catch (error) {
        abandon();
        throw error;
      }
    },
    abandon,
  };
}
