import { ORPCError } from '@orpc/server';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmptyWorkflow } from '@shared/workflow';
import { databasePath } from '../../profile';
import { throwawayApps } from '../../testing/test-app';

const apps = throwawayApps('warroom-audit-api-', () => Promise.resolve());
afterEach(() => apps.closeAll());

const SECRET_VALUE = 'sk-ant-api03-audit-test-value-never-logged';

describe('audit API', () => {
  it("records people's changes (names, never values), lists them with filters and verifies the chain", async () => {
    const { client, app } = apps.open();
    await client.settings.update({ llm: { model: 'claude-haiku-4-5' }, engine: { maxConcurrency: 2 } });
    await client.secrets.set({ name: 'anthropicApiKey', value: SECRET_VALUE });
    await client.secrets.clear({ name: 'anthropicApiKey' });
    await client.mcp.setSecret({ name: 'GITHUB_TOKEN', value: SECRET_VALUE });
    const imported = await client.workflows.import({
      json: JSON.stringify(createEmptyWorkflow('wf-1', 'Imported', new Date())),
    });
    const { item } = await app.memory.store.store({ namespace: 'global', kind: 'note', text: 'remember this' });
    const exported = await client.memory.export({});
    await client.memory.delete({ ids: [item.id] });
    await client.memory.import({ jsonLines: exported.jsonLines });

    const { entries, hasMore } = await client.audit.list({});
    expect(hasMore).toBe(false);
    expect(entries.map(({ kind, actor, details }) => ({ kind, actor, details }))).toMatchObject([
      { kind: 'settings.changed', actor: 'user', details: { fields: ['llm.model', 'engine.maxConcurrency'] } },
      { kind: 'secret.changed', details: { name: 'anthropicApiKey', store: 'app', change: 'set' } },
      { kind: 'secret.changed', details: { name: 'anthropicApiKey', store: 'app', change: 'cleared' } },
      { kind: 'secret.changed', details: { name: 'GITHUB_TOKEN', store: 'mcp', change: 'set' } },
      { kind: 'workflow.imported', details: { workflowId: imported.workflow.id, name: 'Imported' } },
      { kind: 'memory.deleted', details: { count: 1, ids: [item.id] } },
      { kind: 'memory.imported', details: { imported: 1, replaced: 0 } },
    ]);
    expect(JSON.stringify(entries)).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(entries)).not.toContain('claude-haiku-4-5');

    const secretsOnly = await client.audit.list({ kinds: ['secret.changed'], limit: 2 });
    expect(secretsOnly.entries.map((entry) => entry.details.change)).toEqual(['set', 'cleared']);
    expect(secretsOnly.hasMore).toBe(true);
    expect((await client.audit.list({ since: '2999-01-01T00:00:00Z' })).entries).toEqual([]);
    expect(await client.audit.verify()).toEqual({ intact: true, count: 7, lastHash: entries.at(-1)?.hash });

    const csv = await client.audit.export({ format: 'csv', kinds: ['memory.deleted'] });
    expect(csv).toMatchObject({ count: 1, mediaType: 'text/csv' });
    expect(csv.text.split('\r\n')[1]).toMatch(/^6,[^,]+,memory\.deleted,,,user,/);
  });

  it('answers bad filters with a clear input error', async () => {
    const { client } = apps.open();
    const error = await client.audit.list({ since: 'yesterday' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ORPCError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(JSON.stringify((error as ORPCError<string, unknown>).data)).toContain('since must be an ISO 8601 time');
    await expect(client.audit.list({ kinds: ['file.delete' as 'file.read'] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('reports a tampered entry through verify', async () => {
    const { client, app, profileDir } = apps.open();
    await client.settings.update({ ui: { reduceMotion: true } });
    await client.settings.update({ ui: { reduceMotion: false } });
    // Another connection to the same file, as someone editing it by hand would have.
    const db = new Database(databasePath(profileDir));
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET actor = 'cli' WHERE seq = 1`).run();
    db.close();
    expect(await client.audit.verify()).toMatchObject({ intact: false, brokenAt: { seq: 1, reason: 'hash-mismatch' } });
    expect(app.audit.list({}).entries[0]?.actor).toBe('cli');
  });
});
