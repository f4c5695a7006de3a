/**
 * `npm run bench:retrieval`: known-item retrieval on text no one here wrote. Every npm package installed
 * in node_modules with a description and a README is one query (its description) with one right answer
 * (its README); see collectKnownItems for the exact rule. Two corpora: the READMEs alone, and the READMEs
 * among every other document and type declaration of those packages (see collectDistractors). Each is
 * ingested with War Room's own ingestion into a throwaway profile; War Room's search and a baseline of
 * plain SQLite FTS5 BM25 over whole files (one row per file, bm25() ranking, the same query sanitising)
 * answer the same queries in the same run. Queries are split by position in name order: even ones are
 * the tuning sample, odd ones are held out: `-- --tune` searches the full-text weights and then the
 * hybrid fusion on the tuning sample (`-- --tune-fusion` only the fusion), the held-out one is only measured.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { resolveEmbedder } from '../configure';
import type { Embedder } from '../embedder';
import { HashedEmbedder } from '../hashed-embedder';
import { MemoryService } from '../memory-service';
import type { MemorySearchOptions } from '../port';
import { DEFAULT_FULL_TEXT_WEIGHTS, type FullTextWeights } from '../sqlite/full-text-scores';
import { SqliteMemoryStore } from '../sqlite/sqlite-memory-store';
import { fullTextQuery } from '../text';
import { makeTempDir } from '../testing/temp-memory';
import { openDatabase } from '../../store/database';
import { collectDistractors, collectKnownItems, isVerbatimCopy, type Distractor, type KnownItem } from './known-items';
import { rankOf, scoreRanks, type RetrievalScore } from './retrieval-metrics';
import { DEFAULT_FUSION, type FusionWeights } from '../sqlite/ranking';
import { coordinateAscent, FULL_TEXT_GRID, FUSION_GRID } from './tune';

const CUTOFF = 10;
const NAMESPACE = 'bench';

/** Weights under trial while tuning; the defaults otherwise. */
interface Tuned {
  weights?: FullTextWeights;
  fusion?: FusionWeights;
}

interface Corpus {
  name: string;
  files: Array<{ path: string; text: string }>;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const nodeModules = path.resolve('node_modules');
  const items = collectKnownItems(nodeModules);
  const tuning = items.filter((_, index) => index % 2 === 0);
  const heldOut = items.filter((_, index) => index % 2 === 1);
  const readmes = items.map((item) => ({ path: item.target, text: item.readme }));
  const distractors: Distractor[] = collectDistractors(nodeModules, items);
  const corpora: Corpus[] = [
    { name: `READMEs only (${readmes.length} files)`, files: readmes },
    {
      name: `READMEs + other docs and .d.ts (${readmes.length + distractors.length} files)`,
      files: [...readmes, ...distractors],
    },
  ];
  console.log(
    `known items: ${items.length} packages in node_modules (${items.filter(isVerbatimCopy).length} with the ` +
      `description verbatim in the README); tuning sample ${tuning.length} (even), held-out ${heldOut.length} (odd)`,
  );
  // The embedder under test: WARROOM_EMBEDDER's when set (a model directory, say), else the built-in one.
  const embedder = process.env.WARROOM_EMBEDDER ? resolveEmbedder(process.cwd(), process.env) : new HashedEmbedder();
  const temp = makeTempDir('warroom-retrieval-');
  try {
    const indexes: Array<Awaited<ReturnType<typeof indexCorpus>>> = [];
    for (const [position, corpus] of corpora.entries())
      indexes.push(await indexCorpus(corpus, path.join(temp.dir, `corpus-${position}`), embedder));
    const tuneFullText = process.argv.includes('--tune');
    if (tuneFullText || process.argv.includes('--tune-fusion')) {
      const meanMrr = async (mode: MemorySearchOptions['mode'], tuned: Tuned) => {
        let total = 0;
        for (const index of indexes) total += (await index.warRoom(tuning, mode, tuned)).mrr;
        return total / indexes.length;
      };
      const weights = tuneFullText
        ? await coordinateAscent(DEFAULT_FULL_TEXT_WEIGHTS, FULL_TEXT_GRID, (candidate) =>
            meanMrr('full-text', { weights: candidate }),
          )
        : DEFAULT_FULL_TEXT_WEIGHTS;
      console.log(`\nbest full-text weights on the tuning sample: ${JSON.stringify(weights)}`);
      if (embedder) {
        const fusion = await coordinateAscent(DEFAULT_FUSION, FUSION_GRID, (candidate) =>
          meanMrr('hybrid', { weights, fusion: candidate }),
        );
        console.log(`best fusion on the tuning sample: ${JSON.stringify(fusion)}`);
      }
    }
    for (const [position, corpus] of corpora.entries()) {
      const index = indexes[position];
      if (!index) continue;
      const rows: Array<{ label: string; scores: RetrievalScore[] }> = [
        { label: 'plain FTS5 BM25, whole files', scores: [index.baseline(tuning), index.baseline(heldOut)] },
        {
          label: 'War Room, full-text mode',
          scores: [await index.warRoom(tuning, 'full-text'), await index.warRoom(heldOut, 'full-text')],
        },
      ];
      if (embedder)
        rows.push({
          label: `War Room, hybrid (${embedder.id.slice(0, 24)})`,
          scores: [await index.warRoom(tuning, 'hybrid'), await index.warRoom(heldOut, 'hybrid')],
        });
      printTable(corpus.name, [`tuning, ${tuning.length} queries`, `held-out, ${heldOut.length} queries`], rows);
    }
    indexes.forEach((index) => index.close());
  } finally {
    temp.cleanup();
  }
  console.log(`\n(${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
}

/** Both searches over one corpus: War Room's (ingested from files on disk) and the plain BM25 baseline. */
async function indexCorpus(corpus: Corpus, directory: string, embedder: Embedder | null) {
  const root = path.join(directory, 'files');
  for (const file of corpus.files) {
    fs.mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
    fs.writeFileSync(path.join(root, file.path), file.text);
  }
  const opened = openDatabase(path.join(directory, 'warroom.db'));
  const memory = new MemoryService(opened.db, embedder);
  const report = await memory.ingest({ root, namespace: NAMESPACE });
  if (report.skipped.length > 0)
    throw new Error(`ingestion skipped ${report.skipped.map((skip) => skip.path).join(', ')}`);

  const plain = new Database(':memory:');
  plain.exec("CREATE VIRTUAL TABLE docs USING fts5 (path UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2')");
  const insert = plain.prepare('INSERT INTO docs (path, text) VALUES (?, ?)');
  plain.transaction(() => corpus.files.forEach((file) => insert.run(file.path, file.text)))();
  const plainSearch = plain.prepare('SELECT path FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?');

  return {
    baseline(queries: readonly KnownItem[]): RetrievalScore {
      return scoreRanks(
        queries.map((item) => {
          const match = fullTextQuery(item.query);
          const results = match ? (plainSearch.all(match, CUTOFF) as Array<{ path: string }>) : [];
          return rankOf(results, (result) => result.path === item.target);
        }),
        CUTOFF,
      );
    },
    async warRoom(
      queries: readonly KnownItem[],
      mode: MemorySearchOptions['mode'],
      tuned: Tuned = {},
    ): Promise<RetrievalScore> {
      // Full-text mode as the app runs without an embedder: a store on the same database that has none.
      const store = new SqliteMemoryStore({
        db: opened.db,
        embedder: mode === 'full-text' ? null : embedder,
        fullTextWeights: tuned.weights,
        fusion: tuned.fusion,
      });
      const ranks: Array<number | null> = [];
      for (const item of queries) {
        const hits = await store.search(item.query, { namespaces: [NAMESPACE], limit: CUTOFF, mode });
        ranks.push(rankOf(hits, (hit) => hit.item.provenance.file === item.target));
      }
      return scoreRanks(ranks, CUTOFF);
    },
    close() {
      plain.close();
      opened.db.close();
    },
  };
}

function printTable(
  title: string,
  samples: readonly string[],
  rows: ReadonlyArray<{ label: string; scores: RetrievalScore[] }>,
) {
  const baseline = rows[0]?.scores ?? [];
  const column = 34;
  console.log(`\n${title}`);
  console.log(`${''.padEnd(44)}${samples.map((sample) => sample.padEnd(column)).join('')}`);
  console.log(
    `${''.padEnd(44)}${samples.map(() => `MRR@${CUTOFF}  recall@${CUTOFF}  × BM25`.padEnd(column)).join('')}`,
  );
  for (const row of rows) {
    const cells = row.scores.map((score, index) => {
      const ratio = score.mrr / (baseline[index]?.mrr ?? Number.NaN);
      return `${score.mrr.toFixed(3)}   ${score.recall.toFixed(3)}      ${ratio.toFixed(3)}×`.padEnd(column);
    });
    console.log(`${row.label.padEnd(44)}${cells.join('')}`);
  }
}

await main();
