/**
 * The parts of a chunk that say what it is about more than its body does: the file it comes from, its
 * headings, and the names it declares. Search ranks them as fields of their own (see the full-text
 * ranking), so a query naming a file, a section or a function finds it first.
 */
export interface ChunkFields {
  path: string | null;
  /** Markdown headings, one per line ('' when there are none). */
  headings: string;
  /** Declared names, each followed by its parts ("cartTotal cart total"); '' when there are none. */
  symbols: string;
}

const HEADING = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm;
/** A keyword that declares a name, in the languages projects are mostly written in, then the name. */
const DECLARATION =
  /\b(?:function\*?|class|interface|type|enum|const|let|var|def|fn|func|struct|trait|impl|module|namespace|record|object|protocol)\s+([A-Za-z_$][\w$]*)/g;
/** A method or function header at the start of a line: `name(…) {`, `async name(…):`… */
const METHOD =
  /^[ \t]*(?:(?:public|private|protected|static|async|export|default|override|readonly)\s+)*([A-Za-z_$][\w$]*)\s*\([^()]*\)\s*(?::[^{;=]*)?\{/gm;
const CONTROL_WORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'function']);

export function chunkFields(text: string, file: string | null | undefined): ChunkFields {
  const headings = [...text.matchAll(HEADING)].map((match) => match[1] ?? '').filter(Boolean);
  const names = new Set<string>();
  for (const match of text.matchAll(DECLARATION)) if (match[1]) names.add(match[1]);
  for (const match of text.matchAll(METHOD)) if (match[1] && !CONTROL_WORDS.has(match[1])) names.add(match[1]);
  return {
    path: file ? withParts(file) : null,
    headings: headings.join('\n'),
    symbols: [...names].map(withParts).join('\n'),
  };
}

/**
 * A name followed by the words inside it when the index would not find them: camelCase and PascalCase
 * are split ("src/cartTotal.ts" → "src/cartTotal.ts src cart total ts"), so a query in plain words
 * matches the name. snake_case, kebab-case and paths need nothing added: the index's tokenizer already
 * splits at every character that is not a letter or digit.
 */
export function withParts(name: string): string {
  const parts = name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((part) => part.toLowerCase());
  const whole = name
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return parts.join(' ') === whole.join(' ') ? name : `${name} ${parts.join(' ')}`;
}
