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
 * Splits a text into chunks along line boundaries, never over the line or character limit. Once a chunk
 * is half full it closes where a top-level block starts (an unindented declaration after a blank or a
 * closing line, a Markdown heading); once three quarters full, before any paragraph that follows a blank
 * line. Over-long single lines (minified code) are cut into pieces that all report that line.
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
    const fill = Math.max(current.length / maxLines, currentChars / maxChars);
    const previous = current[current.length - 1] ?? '';
    // Prefer cutting where a top-level block starts (a declaration, a heading); failing that, once the
    // chunk is mostly full, at any blank line, so chunks rarely begin in the middle of a function.
    const goodCut =
      (fill >= 0.5 && startsBlock(line, previous, indentOf(current.find((entry) => !isBlank(entry)) ?? ''))) ||
      (fill >= 0.75 && isBlank(previous) && !isBlank(line));
    if (current.length > 0 && (wouldOverflow || goodCut)) {
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

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * A Markdown heading, or a line that opens something (not one that closes a bracket) at the chunk's own
 * indentation or shallower, after a blank or a closing line: the next function, or the next method of
 * the class the chunk is in.
 */
function startsBlock(line: string, previous: string, chunkIndent: number): boolean {
  if (/^#{1,6}\s/.test(line)) return true;
  if (isBlank(line) || /^\s*[}\])]/.test(line) || indentOf(line) > chunkIndent) return false;
  return isBlank(previous) || /^\s*[}\])]/.test(previous);
}
