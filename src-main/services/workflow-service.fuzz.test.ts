import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatPath } from '@shared/errors';
import { shippedResourcesDir } from '../engine/roles';
import { openDatabase } from '../store/database';
import { WorkflowRepository } from '../store/workflow-repository';
import { InvalidWorkflowError, WorkflowService } from './workflow-service';

/**
 * Workflow import (the file a user picks) fuzzed with fast-check: any text is imported or refused with
 * problems that each name a place; a shipped template with one value broken or removed is refused at that
 * value's place (or, for a node id, at the edges that lost their node). Nothing throws anything else.
 */
const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-workflow-fuzz-'));
const opened = openDatabase(path.join(profileDir, 'warroom.db'));
let counter = 0;
const service = new WorkflowService(
  new WorkflowRepository(opened.db, path.join(profileDir, 'workflows')),
  () => new Date('2026-01-01T00:00:00.000Z'),
  () => `wf-fuzz-${++counter}`,
);
afterAll(() => {
  opened.db.close();
  fs.rmSync(profileDir, { recursive: true, force: true });
});

const templatesDir = path.join(shippedResourcesDir(), 'templates');
const templates = fs
  .readdirSync(templatesDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(fs.readFileSync(path.join(templatesDir, file), 'utf8')) as Record<string, unknown>);

type Key = string | number;

/** Every place in a JSON document, as key paths (objects' keys, arrays' indexes). */
function placesIn(value: unknown, prefix: Key[] = []): Key[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: Array<[Key, unknown]> = Array.isArray(value)
    ? value.map((item, index): [Key, unknown] => [index, item])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...placesIn(child, [...prefix, key])]);
}

/** A deep copy of `document` with the value at `place` replaced, or removed when `replacement` is absent. */
function withChange(document: unknown, place: Key[], replacement?: { value: unknown }): unknown {
  const copy = structuredClone(document) as Record<Key, unknown>;
  let parent = copy;
  for (const key of place.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  const last = place[place.length - 1] as Key;
  if (!replacement) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else Reflect.deleteProperty(parent, last);
  } else {
    parent[last] = replacement.value;
  }
  return copy;
}

/** The import's verdict: stored, or the problems it named. Any other exception fails the property. */
function importText(text: string): { ok: true } | { ok: false; problems: InvalidWorkflowError['problems'] } {
  try {
    service.import(text);
    return { ok: true };
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidWorkflowError);
    const { problems, message } = error as InvalidWorkflowError;
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.path.length).toBeGreaterThan(0);
      expect(problem.message.length).toBeGreaterThan(0);
    }
    expect(message).toContain(`${problems[0]?.path}: `);
    return { ok: false, problems };
  }
}

const isWithin = (inner: string, outer: string) =>
  inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);

describe('workflow import (fast-check)', () => {
  it('answers any text with a stored workflow or problems that each name a place (2,000 cases)', () => {
    const template = fc.constantFrom(...templates).map((document) => JSON.stringify(document));
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
      fc.tuple(template, fc.nat()).map(([json, cut]) => json.slice(0, cut % json.length)),
      fc
        .record({ schemaVersion: fc.jsonValue({ maxDepth: 1 }), nodes: fc.jsonValue({ maxDepth: 2 }) })
        .map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(text, (input) => {
        importText(input);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a template with one value broken or removed at that place (1,000 cases)', () => {
    const change = fc.constantFrom(...templates).chain((document) =>
      fc.record({
        document: fc.constant(document),
        place: fc.constantFrom(...placesIn(document)),
        replacement: fc.option(fc.record({ value: fc.jsonValue({ maxDepth: 2 }) }), { nil: undefined }),
      }),
    );
    let refused = 0;
    fc.assert(
      fc.property(change, ({ document, place, replacement }) => {
        const verdict = importText(JSON.stringify(withChange(document, place, replacement)));
        if (verdict.ok) return;
        refused++;
        const changed = formatPath(place);
        const named = verdict.problems.map((problem) => problem.path);
        // A renamed or removed node (or node list) leaves edges pointing at nothing: those are the places to fix.
        const lostNode = /^nodes(\[\d+\](\.id)?)?$/.test(changed) && named.every((found) => found.startsWith('edges['));
        expect(
          lostNode || named.some((found) => isWithin(found, changed) || isWithin(changed, found)),
          `changed ${changed}, problems at ${named.join(', ')}`,
        ).toBe(true);
      }),
      { numRuns: 1000 },
    );
    expect(refused).toBeGreaterThan(250);
  });
});
