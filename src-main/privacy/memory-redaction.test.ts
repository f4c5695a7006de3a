import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryService } from '../memory/memory-service';
import { makeTempDir } from '../memory/testing/temp-memory';
import { openDatabase } from '../store/database';
import { SecretRedactor } from './redactor';
import { generateSecrets, randomText } from './testing/generated-secrets';

/** Memory with the redactor, as the app wires it: nothing stored, ingested or exported keeps a secret. */
describe('memory with the redactor', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let close: () => void;
  const key = `sk-ant-api03-${randomText(93)}AA`;
  const secrets = generateSecrets();

  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => {
    close();
    temp.cleanup();
  });

  function open(redacting = true): MemoryService {
    const opened = openDatabase(path.join(temp.dir, 'memory.db'));
    close = () => opened.db.close();
    const redactor = new SecretRedactor({ knownSecrets: () => [] });
    return redacting ? new MemoryService(opened.db, null, undefined, redactor) : new MemoryService(opened.db, null);
  }

  const everything = (memory: MemoryService) => JSON.stringify(memory.store.list({ limit: 500 }).items);

  it('ingest skips secret files by name and lists them; other files are stored redacted', async () => {
    const project = path.join(temp.dir, 'project');
    fs.mkdirSync(path.join(project, 'keys'), { recursive: true });
    fs.writeFileSync(path.join(project, '.env'), `ANTHROPIC_API_KEY=${key}\n`);
    fs.writeFileSync(path.join(project, 'keys', 'deploy.pem'), 'not even a real key');
    fs.writeFileSync(path.join(project, '.env.example'), 'ANTHROPIC_API_KEY=\n');
    fs.writeFileSync(path.join(project, 'config.ts'), secrets.map((secret) => secret.text).join('\n'));
    const memory = open();
    const report = await memory.ingest({ root: project, namespace: 'p' });
    expect(report.skipped).toEqual([
      { path: '.env', reason: 'sensitive', detail: 'environment file: holds secrets, never stored in memory' },
      { path: 'keys/deploy.pem', reason: 'sensitive', detail: 'private key: holds secrets, never stored in memory' },
    ]);
    expect(report.filesIndexed).toBe(2);
    const stored = everything(memory);
    expect(stored).toContain('[REDACTED:anthropic]');
    expect(stored).toContain('.env.example');
    for (const secret of [key, ...secrets.map((generated) => generated.secret)]) expect(stored).not.toContain(secret);
  });

  it('stores, updates and imports items redacted', async () => {
    const memory = open();
    const stored = await memory.store.store({ namespace: 'p', kind: 'note', text: `the key is ${key}` });
    expect(stored.item.text).toBe('the key is [REDACTED:anthropic]');
    const token = `ghp_${randomText(36)}`;
    const updated = await memory.store.update(stored.item.id, { text: `now ${token}`, metadata: { token } });
    expect(updated.text).toBe('now [REDACTED:github]');
    expect(updated.metadata).toEqual({ token: '[REDACTED:github]' });
    const at = new Date(0).toISOString();
    const line = JSON.stringify({
      ...{ id: 'mem_imported', namespace: 'p', kind: 'note', text: `imported ${key}`, metadata: {}, provenance: {} },
      ...{ pinned: false, createdAt: at, updatedAt: at, lastUsedAt: null },
    });
    await memory.importJsonLines(`${line}\n`);
    expect(memory.store.get('mem_imported').text).toBe('imported [REDACTED:anthropic]');
    expect(everything(memory)).not.toContain(key);
  });

  it('exports items stored before redaction existed without their secrets', async () => {
    const before = open(false);
    await before.store.store({ namespace: 'p', kind: 'note', text: `old note with ${key}` });
    expect(everything(before)).toContain(key);
    close();
    const exported = await open().exportJsonLines();
    expect(exported.count).toBe(1);
    expect(exported.jsonLines).not.toContain(key);
    expect(JSON.parse(exported.jsonLines)).toMatchObject({ text: 'old note with [REDACTED:anthropic]' });
  });
});
