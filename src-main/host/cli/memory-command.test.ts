import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWarRoom, type WarRoom } from '../../app';
import { makeTempDir } from '../../memory/testing/temp-memory';
import {
  exportCommand,
  importCommand,
  ingestCommand,
  listCommand,
  removeCommand,
  searchCommand,
  showCommand,
  statsCommand,
} from './memory-command';

describe('warroom memory commands', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let app: WarRoom;
  let project: string;

  beforeEach(() => {
    temp = makeTempDir();
    app = createWarRoom({
      profileDir: path.join(temp.dir, 'profile'),
      host: 'cli',
      version: '0.0.0-test',
      env: { WARROOM_EMBEDDER: 'none' },
    });
    project = path.join(temp.dir, 'shop');
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    fs.writeFileSync(
      path.join(project, 'src', 'cart.ts'),
      'export function addToCart(item: string) {\n  return item;\n}\n',
    );
    fs.writeFileSync(path.join(project, 'logo.bin'), Buffer.from([0, 1, 2, 3]));
  });
  afterEach(() => {
    app.close();
    temp.cleanup();
  });

  it('ingests, searches, lists, shows, exports, imports and deletes', async () => {
    const ingest = await ingestCommand(app, project, { namespace: 'shop' });
    expect(ingest.text).toContain('indexed: 1');
    expect(ingest.text).toMatch(/logo\.bin: binary/);
    const report = JSON.parse((await ingestCommand(app, project, { namespace: 'shop', json: true })).text);
    expect(report).toMatchObject({ filesUnchanged: 1, filesIndexed: 0 });

    const search = await searchCommand(app, 'addToCart', { namespace: 'shop' });
    expect(search.text).toMatch(/^1\. \d\.\d{4} {2}\S+ {2}\[shop\/code\] {2}src\/cart\.ts:1-3/);
    expect(search.text).toContain('why: full-text rank 1');
    const [hit] = JSON.parse((await searchCommand(app, 'addToCart', { json: true })).text);
    const id = hit.item.id as string;
    expect((await searchCommand(app, 'addToCart', { namespace: 'elsewhere' })).text).toBe('No memories match.');

    expect(listCommand(app, { namespace: 'shop' }).text).toContain('1-1 of 1');
    expect(JSON.parse(listCommand(app, { json: true }).text).total).toBe(1);
    expect(showCommand(app, id, {}).text).toContain('source:    src/cart.ts:1-3');
    expect(showCommand(app, id, { namespace: 'other' }).exitCode).toBe(1);
    expect(JSON.parse(statsCommand(app, { json: true }).text).totals).toMatchObject({ items: 1, files: 1 });
    expect(statsCommand(app, {}).text).toContain('embedder: none (full-text search only)');

    const file = path.join(temp.dir, 'memory.jsonl');
    expect(JSON.parse((await exportCommand(app, file, { json: true })).text)).toEqual({ file, count: 1 });
    expect(JSON.parse(removeCommand(app, [id], { json: true }).text)).toEqual({ deleted: 1 });
    expect((await importCommand(app, file, { namespace: 'restored' })).text).toContain('Imported 1 memories');
    expect(app.memory.store.get(id).namespace).toBe('restored');

    expect(removeCommand(app, [], { all: true }).exitCode).toBe(2);
    expect(removeCommand(app, [], { all: true, namespace: 'restored' }).text).toBe('Deleted 1 memory.');
    expect(JSON.parse(statsCommand(app, { json: true }).text).totals.items).toBe(0);
  });

  it('prints a long file once, with the other lines that matched', async () => {
    const section = (title: string) => [
      `## ${title}`,
      '',
      ...Array.from({ length: 40 }, (_, n) => `checkout step ${n}`),
    ];
    fs.writeFileSync(path.join(project, 'guide.md'), `${[...section('One'), '', ...section('Two')].join('\n')}\n`);
    await ingestCommand(app, project, { namespace: 'shop' });
    const search = await searchCommand(app, 'checkout', { namespace: 'shop' });
    expect(search.text.match(/guide\.md/g)).toHaveLength(1);
    expect(search.text).toMatch(/also matches lines \d+-\d+/);
  });

  it('refuses a corrupt import file with the line number', async () => {
    const file = path.join(temp.dir, 'bad.jsonl');
    fs.writeFileSync(file, '{"id": 1}\n');
    await expect(importCommand(app, file, {})).rejects.toThrow(/line 1: id:/);
  });
});
