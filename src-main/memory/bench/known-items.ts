import fs from 'node:fs';
import path from 'node:path';
import { normalizedTextHash, words } from '../text';

/** One known-item query: a package's own description, answered by its README. */
export interface KnownItem {
  packageName: string;
  query: string;
  /** The README's path under the corpus root, as ingestion records it (`<package>/<README file>`). */
  target: string;
  readme: string;
}

/** A description shorter than this many distinct words names too little to be a query anyone would type. */
const MIN_QUERY_WORDS = 3;
/** A README shorter than this says too little to be worth finding. */
const MIN_README_WORDS = 20;
/** Ingestion's default file size limit: a README over it would be in the baseline but not in War Room. */
const MAX_README_BYTES = 1024 * 1024;
const README_NAME = /^readme(\.(md|markdown|mdx|txt|rst))?$/i;

/**
 * The query a package.json yields, or null when it yields none: a `description` that is a string of at
 * least three distinct words. Package manifests are outside input, so anything else is simply no query.
 */
export function descriptionQuery(manifest: unknown): string | null {
  if (typeof manifest !== 'object' || manifest === null || !('description' in manifest)) return null;
  const { description } = manifest;
  if (typeof description !== 'string') return null;
  const query = description.replace(/\s+/g, ' ').trim();
  return new Set(words(query)).size >= MIN_QUERY_WORDS ? query : null;
}

/**
 * The known items of every package installed directly under `nodeModules` (scoped ones included; nested
 * copies are other versions of the same packages and are left out), sorted by package name. The rule:
 * a package counts when its description is a query (see descriptionQuery) and it has a UTF-8 README of
 * 20+ words within ingestion's size limit. Packages whose README or description is the same as another
 * package's are dropped, every one of them: their target is ambiguous (monorepos ship one README many times).
 * A description copied into its README stays in: users type what a package says it does, and both
 * searches under test get the same queries.
 */
export function collectKnownItems(nodeModules: string): KnownItem[] {
  const candidates: KnownItem[] = [];
  for (const packageName of installedPackages(nodeModules)) {
    const directory = path.join(nodeModules, packageName);
    const query = descriptionQuery(readJson(path.join(directory, 'package.json')));
    const readmeName = fs.readdirSync(directory).find((name) => README_NAME.test(name));
    if (!query || !readmeName) continue;
    const readme = readUtf8(path.join(directory, readmeName));
    if (readme === null || words(readme).length < MIN_README_WORDS) continue;
    candidates.push({ packageName, query, target: `${packageName}/${readmeName}`, readme });
  }
  const readmeCounts = countBy(candidates, (item) => normalizedTextHash(item.readme));
  const queryCounts = countBy(candidates, (item) => item.query.toLowerCase());
  return candidates
    .filter(
      (item) =>
        readmeCounts.get(normalizedTextHash(item.readme)) === 1 && queryCounts.get(item.query.toLowerCase()) === 1,
    )
    .sort((a, b) => (a.packageName < b.packageName ? -1 : a.packageName > b.packageName ? 1 : 0));
}

/** Whether the README contains the description word for word (an easy query for any full-text search). */
export function isVerbatimCopy(item: KnownItem): boolean {
  return ` ${words(item.readme).join(' ')} `.includes(` ${words(item.query).join(' ')} `);
}

function installedPackages(nodeModules: string): string[] {
  const names: string[] = [];
  for (const entry of fs.readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (!entry.name.startsWith('@')) names.push(entry.name);
    else
      for (const scoped of fs.readdirSync(path.join(nodeModules, entry.name), { withFileTypes: true }))
        if (scoped.isDirectory()) names.push(`${entry.name}/${scoped.name}`);
  }
  return names;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

function readUtf8(file: string): string | null {
  try {
    const content = fs.readFileSync(file);
    if (content.length > MAX_README_BYTES || content.includes(0)) return null;
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return null;
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** What a project's memory holds beside the answers: text a search must rank below the right README. */
export interface Distractor {
  /** Path under the corpus root, the same layout as the packages' own (`<package>/docs/api.md`). */
  path: string;
  text: string;
}

const DISTRACTOR_FILE = /\.(md|markdown|mdx|txt|rst|d\.ts)$/i;

/**
 * Every other document and type declaration of the packages the known items come from (changelogs,
 * guides, licences, `.d.ts` files), within ingestion's limits: a memory the size of a real project, where
 * the queries' words also appear in many files that are not the answer. Nested node_modules are left out
 * (other versions of the same packages would be second copies of the answers).
 */
export function collectDistractors(nodeModules: string, items: readonly KnownItem[]): Distractor[] {
  const targets = new Set(items.map((item) => item.target));
  const distractors: Distractor[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(nodeModules, relative), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && DISTRACTOR_FILE.test(entry.name) && !targets.has(child)) {
        const text = readUtf8(path.join(nodeModules, child));
        if (text !== null) distractors.push({ path: child, text });
      }
    }
  };
  for (const item of items) walk(item.packageName);
  return distractors;
}
