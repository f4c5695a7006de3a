import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemorySearchOptions } from '../port';
import { StaticEmbedder } from '../static-embedder';
import type { SqliteMemoryStore } from './sqlite-memory-store';
import { writeStaticModel } from '../testing/static-model';
import { makeTempDir, openTestMemory } from '../testing/temp-memory';

/**
 * A small fixture with known answers. Half the queries share no word with their answer (only the
 * vector side can find them through synonyms the model knows); the others ask for identifiers the model
 * has never seen (only full-text can find them). Hybrid retrieval must beat both.
 */
const TOPICS = {
  vehicle: ['car', 'automobile', 'vehicle', 'truck', 'engine', 'motor'],
  database: ['database', 'postgres', 'sql', 'query', 'table', 'index'],
  auth: ['login', 'authentication', 'password', 'credentials', 'signin', 'session'],
  network: ['network', 'socket', 'connection', 'latency', 'timeout', 'http'],
  ui: ['button', 'layout', 'css', 'style', 'colors', 'theme'],
  testing: ['test', 'assertion', 'fixture', 'mock', 'spec', 'coverage'],
  deploy: ['deploy', 'release', 'production', 'rollout', 'pipeline', 'ship'],
  cache: ['cache', 'memoize', 'redis', 'eviction', 'ttl', 'stale'],
};
const FILLER = (
  'the on when in every goes through leaves under high error means is missing flag enables beta code appears ' +
  'disk full fails contain drops follow long drives overheats planner ignores big values schedule stored as a ' +
  'fleet spreadsheet problem slow broken clock lockfile exporter'
).split(' ');

const DOCUMENTS: Record<string, string> = {
  engine: 'the car engine overheats on long drives',
  planner: 'postgres planner ignores the index on a big table',
  signin: 'signin fails when credentials contain unicode',
  socket: 'socket connection drops under high latency',
  theme: 'button colors follow the theme',
  clock: 'mock the clock in every fixture',
  rollout: 'production rollout goes through the release pipeline',
  eviction: 'redis eviction leaves stale values',
  lockfile: 'error WR_4411 means the lockfile is missing',
  exporter: 'flag QX_9020 enables the beta exporter',
  disk: 'code ZZ_1234 appears when the disk is full',
  fleet: 'the truck fleet schedule is stored as a spreadsheet',
};

const QUERIES: Array<{ query: string; answer: string }> = [
  { query: 'automobile motor problem', answer: 'engine' },
  { query: 'sql query slow', answer: 'planner' },
  { query: 'authentication password broken', answer: 'signin' },
  { query: 'network timeout', answer: 'socket' },
  { query: 'css style', answer: 'theme' },
  { query: 'test assertion', answer: 'clock' },
  { query: 'deploy ship', answer: 'rollout' },
  { query: 'cache ttl', answer: 'eviction' },
  { query: 'WR_4411', answer: 'lockfile' },
  { query: 'QX_9020', answer: 'exporter' },
  { query: 'ZZ_1234 disk', answer: 'disk' },
];

describe('hybrid retrieval on a fixture with known answers', () => {
  const temp = makeTempDir();
  let store: SqliteMemoryStore;
  let close: () => void;
  const idToLabel = new Map<string, string>();

  beforeAll(async () => {
    const modelDir = path.join(temp.dir, 'model');
    writeStaticModel(modelDir, { topics: TOPICS, otherWords: FILLER, dimension: 48, seed: 11 });
    const opened = openTestMemory(path.join(temp.dir, 'memory.db'), StaticEmbedder.load(modelDir));
    store = opened.memory.store;
    close = opened.close;
    for (const [label, text] of Object.entries(DOCUMENTS)) {
      const { item } = await store.store({ namespace: 'fixture', kind: 'note', text });
      idToLabel.set(item.id, label);
    }
  });
  afterAll(() => {
    close();
    temp.cleanup();
  });

  async function meanReciprocalRank(mode: MemorySearchOptions['mode']): Promise<number> {
    let total = 0;
    for (const { query, answer } of QUERIES) {
      const hits = await store.search(query, { mode, limit: 5 });
      const rank = hits.findIndex((hit) => idToLabel.get(hit.item.id) === answer);
      total += rank < 0 ? 0 : 1 / (rank + 1);
    }
    return total / QUERIES.length;
  }

  it('ranks better than full-text alone and vector alone', async () => {
    const fullText = await meanReciprocalRank('full-text');
    const vector = await meanReciprocalRank('vector');
    const hybrid = await meanReciprocalRank('hybrid');
    expect(hybrid).toBeGreaterThan(fullText);
    expect(hybrid).toBeGreaterThan(vector);
    expect(hybrid).toBeGreaterThanOrEqual(0.9);
  });

  it('says why each result matched', async () => {
    const [top] = await store.search('ZZ_1234 disk', { limit: 3 });
    expect(idToLabel.get(top?.item.id ?? '')).toBe('disk');
    expect(top?.reasons.some((reason) => reason.startsWith('full-text rank 1'))).toBe(true);
    expect(top?.reasons.some((reason) => reason.startsWith('vector rank'))).toBe(true);
    expect(top?.excerpt).toContain('ZZ_1234');
  });
});
