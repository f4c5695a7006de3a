import type { z } from 'zod';
import type { MemorySearchHitSchema } from '@shared/memory';

type Hit = z.infer<typeof MemorySearchHitSchema>;

export interface ExcerptSegment {
  text: string;
  match: boolean;
}

export interface ExcerptLine {
  /** The line's number in its file, when the excerpt came from one. */
  number: number | null;
  segments: ExcerptSegment[];
  /** Whether the line holds a matched word (such lines are highlighted as a whole). */
  matches: boolean;
}

const WORD = /([\p{L}\p{N}_]+)/u;

/**
 * Splits an excerpt into lines, and each line into plain text and matched words: a word matches when its
 * lower-case form is one of `terms` (what the search reported as matching). Words are compared whole,
 * never as patterns, so any text and any term are safe to pass.
 */
export function highlightExcerpt(text: string, terms: readonly string[], firstLine?: number): ExcerptLine[] {
  const wanted = new Set(terms.map((term) => term.toLowerCase()));
  return text.split('\n').map((line, index) => {
    const segments: ExcerptSegment[] = [];
    line.split(WORD).forEach((part, position) => {
      if (part === '') return;
      // split() with a capture group puts the words at odd positions.
      const match = position % 2 === 1 && wanted.has(part.toLowerCase());
      const last = segments[segments.length - 1];
      if (last && last.match === match) last.text += part;
      else segments.push({ text: part, match });
    });
    return {
      number: firstLine === undefined ? null : firstLine + index,
      segments,
      matches: segments.some((segment) => segment.match),
    };
  });
}

export interface HitGroup {
  /** The file the hits come from, or null for a memory that names no file (a group of its own). */
  file: string | null;
  namespace: string;
  hits: Hit[];
}

/**
 * Search results grouped by the file they come from, groups in the order of their best hit (the search
 * already folds an ingested file's chunks into one hit; memories that cite the same file join it here).
 */
export function groupHitsByFile(hits: readonly Hit[]): HitGroup[] {
  const groups: HitGroup[] = [];
  const byFile = new Map<string, HitGroup>();
  for (const hit of hits) {
    const { file } = hit.item.provenance;
    if (file === undefined) {
      groups.push({ file: null, namespace: hit.item.namespace, hits: [hit] });
      continue;
    }
    const key = JSON.stringify([hit.item.namespace, file]);
    const group = byFile.get(key);
    if (group) group.hits.push(hit);
    else {
      const created = { file, namespace: hit.item.namespace, hits: [hit] };
      byFile.set(key, created);
      groups.push(created);
    }
  }
  return groups;
}
