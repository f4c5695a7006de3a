import type { DiffLine } from './line-diff';

const MARK: Record<DiffLine['kind'], string> = { same: ' ', added: '+', removed: '-' };

/** A line diff as a unified diff reads: removed lines of a marked -, added lines of b marked +. */
export function DiffView({ lines, label }: { lines: readonly DiffLine[]; label: string }) {
  return (
    <pre className="diff" aria-label={label} data-testid="diff">
      {lines.map((line, index) => (
        <span key={index} className={`diff-line diff-${line.kind}`}>
          <span className="diff-mark" aria-hidden="true">
            {MARK[line.kind]}
          </span>
          {line.kind === 'same' ? null : <span className="visually-hidden">{line.kind}: </span>}
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
