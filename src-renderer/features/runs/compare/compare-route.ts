/**
 * Where a comparison lives: the Runs page's item `compare/<a>..<b>` (in the URL `#/runs/compare%2F<a>..<b>`),
 * so a comparison can be reloaded, bookmarked and gone back to like any run.
 */
const PREFIX = 'compare/';
const SEPARATOR = '..';

export function compareItem(a: string, b: string): string {
  return `${PREFIX}${a}${SEPARATOR}${b}`;
}

export function parseCompareItem(item: string | null): { a: string; b: string } | null {
  if (!item?.startsWith(PREFIX)) return null;
  const [a, b, ...rest] = item.slice(PREFIX.length).split(SEPARATOR);
  return a && b && rest.length === 0 ? { a, b } : null;
}
