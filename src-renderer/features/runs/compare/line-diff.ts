import { diffLines } from 'diff';

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** `before` → `after` line by line: what was kept, removed from `before` and added in `after`. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const lines: DiffLine[] = [];
  // A last line with or without its newline is the same line to a reader.
  const ended = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
  for (const change of diffLines(ended(before), ended(after))) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    for (const text of change.value.replace(/\n$/, '').split('\n')) lines.push({ kind, text });
  }
  return lines;
}

export function hasChanges(lines: readonly DiffLine[]): boolean {
  return lines.some((line) => line.kind !== 'same');
}
