import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS_HASH, type NewAuditEntry } from '@shared/audit';
import { makeTempProfile } from '../testing/temp-profile';
import { hashAuditEntry } from './audit-chain';
import { AuditRepository } from './audit-repository';
import { openDatabase } from './database';

const HASH = 'a'.repeat(64);

function setUp() {
  let tick = 0;
  const file = path.join(makeTempProfile('warroom-audit-'), 'warroom.db');
  const opened = openDatabase(file);
  const now = () => new Date(Date.UTC(2026, 10, 21, 12, 0, tick++));
  return { file, db: opened.db, repository: new AuditRepository(opened.db, now) };
}

const write = (runId: string | null, filePath: string): NewAuditEntry => ({
  kind: 'file.write',
  runId,
  nodeId: runId ? 'coder' : null,
  actor: runId ? 'agent' : 'cli',
  details: { path: filePath, bytes: 3, sha256: HASH },
});

describe('AuditRepository', () => {
  it('chains each appended entry to the one before', () => {
    const { repository } = setUp();
    const first = repository.append(write('run_1', 'a.txt'));
    const second = repository.append(write('run_1', 'b.txt'));
    expect(first).toMatchObject({ seq: 1, prevHash: AUDIT_GENESIS_HASH, at: '2026-11-21T12:00:00.000Z' });
    expect(first.hash).toBe(hashAuditEntry({ ...first }));
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(repository.verify()).toEqual({ intact: true, count: 2, lastHash: second.hash });
  });

  it('filters by run, kind and time, and pages forward', () => {
    const { repository } = setUp();
    repository.append(write('run_1', 'a.txt'));
    repository.append(write('run_2', 'b.txt'));
    repository.append({
      kind: 'settings.changed',
      runId: null,
      nodeId: null,
      actor: 'user',
      details: { fields: ['llm.model'] },
    });
    repository.append(write('run_1', 'c.txt'));
    const paths = (page: { entries: Array<{ details: Record<string, unknown> }> }) =>
      page.entries.map((entry) => entry.details.path ?? entry.details.fields);

    expect(paths(repository.list({ runId: 'run_1' }))).toEqual(['a.txt', 'c.txt']);
    expect(paths(repository.list({ kinds: ['settings.changed'] }))).toEqual([['llm.model']]);
    expect(paths(repository.list({ since: '2026-11-21T13:00:02+01:00' }))).toEqual([['llm.model'], 'c.txt']);
    const firstPage = repository.list({ limit: 3 });
    expect(firstPage.hasMore).toBe(true);
    expect(paths(repository.list({ afterSeq: firstPage.entries.at(-1)?.seq ?? 0 }))).toEqual(['c.txt']);
    expect([...repository.each({ runId: 'run_2' })].map((entry) => entry.seq)).toEqual([2]);
  });

  it('refuses to change or delete entries through SQL', () => {
    const { db, repository } = setUp();
    repository.append(write('run_1', 'a.txt'));
    expect(() => db.prepare("UPDATE audit_log SET actor = 'user'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(repository.list({}).entries).toHaveLength(1);
  });

  it('finds rows edited or removed behind its back (triggers dropped) at the first one touched', () => {
    const { db, repository } = setUp();
    for (const name of ['a', 'b', 'c', 'd', 'e']) repository.append(write('run_1', `${name}.txt`));
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');

    db.prepare(`UPDATE audit_log SET details = json_set(details, '$.bytes', 4) WHERE seq = 4`).run();
    expect(repository.verify()).toMatchObject({
      intact: false,
      count: 3,
      brokenAt: { seq: 4, reason: 'hash-mismatch' },
    });

    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(repository.verify()).toMatchObject({ intact: false, count: 1, brokenAt: { seq: 3, reason: 'seq-gap' } });

    // Renumbering after the removal hides the gap, not the broken link.
    db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq > 2').run();
    expect(repository.verify()).toMatchObject({ intact: false, brokenAt: { seq: 2, reason: 'prev-hash-mismatch' } });
  });
});
