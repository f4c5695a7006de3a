/** One piece of a text, small enough to embed and to show as a search result, with its 1-based lines. */
export interface TextChunk {
  text: string;
  lineStart: number;
  lineEnd: number;
}

export interface ChunkingOptions {
  maxLines?: number;
  maxChars?: number;
  /** Line number of the text's first line (for texts that are a slice of a file). */
  firstLine?: number;
}

const DEFAULT_MAX_LINES = 60;
const DEFAULT_MAX_CHARS = 2000;

/**
 * Splits a text into chunks along line boundaries. A chunk closes at a natural break (a blank line, or a
 * line that starts a new top-level block: a heading, or an unindented line after a closing brace) once it
 * is at least half full, and always before it would exceed the line or character limit. Over-long single
 * lines (minified code) are cut into pieces that all report that line.
 */
export function chunkText(text: string, options: ChunkingOptions = {}): TextChunk[] {
  const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const firstLine = options.firstLine ?? 1;
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();

  const chunks: TextChunk[] = [];
  let current: string[] = [];
  let currentChars = 0;
  let currentStart = firstLine;

  const flush = () => {
    // Blank lines at either end belong to no chunk, so re-chunking a chunk's own text gives it back.
    let start = 0;
    let end = current.length;
    while (start < end && (current[start] ?? '').trim() === '') start++;
    while (end > start && (current[end - 1] ?? '').trim() === '') end--;
    if (end > start)
      chunks.push({
        text: current.slice(start, end).join('\n'),
        lineStart: currentStart + start,
        lineEnd: currentStart + end - 1,
      });
    current = [];
    currentChars = 0;
  };

  lines.forEach((line, index) => {
    const lineNumber = firstLine + index;
    if (line.length > maxChars) {
      flush();
      for (let offset = 0; offset < line.length; offset += maxChars)
        chunks.push({ text: line.slice(offset, offset + maxChars), lineStart: lineNumber, lineEnd: lineNumber });
      currentStart = lineNumber + 1;
      return;
    }
    const wouldOverflow = current.length >= maxLines || currentChars + line.length + 1 > maxChars;
    const halfFull = current.length >= maxLines / 2 || currentChars >= maxChars / 2;
    if (
      current.length > 0 &&
      (wouldOverflow || (halfFull && startsNewBlock(line, current[current.length - 1] ?? '')))
    ) {
      flush();
      currentStart = lineNumber;
    }
    if (current.length === 0) currentStart = lineNumber;
    current.push(line);
    currentChars += line.length + 1;
  });
  flush();
  return chunks;
}

function startsNewBlock(line: string, previous: string): boolean {
  if (line.trim() === '' || previous.trim() === '') return true;
  if (/^#{1,6}\s/.test(line)) return true;
  return /^\S/.test(line) && /^[}\])]/.test(previous.trim()) && /^\S/.test(previous);
}
