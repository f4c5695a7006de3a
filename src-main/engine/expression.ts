/**
 * A small, safe expression language for conditions and loop exits (never `eval`): literals, paths into
 * the scope (`value.approved`, `inputs.task`, `items[0]`), comparisons, `&&`, `||`, `!`, parentheses,
 * and the functions contains(haystack, needle), length(x), lower(text).
 */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ','];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      at += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_$][\w$]*/.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      at += name[0].length;
      continue;
    }
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      const end = rest.indexOf(quote, 1);
      if (end < 0) throw new ExpressionError(`unterminated string at ${at}`);
      tokens.push({ kind: 'string', value: rest.slice(1, end) });
      at += end + 1;
      continue;
    }
    const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
    if (!operator) throw new ExpressionError(`unexpected "${rest[0] ?? ''}" at ${at}`);
    tokens.push({ kind: 'op', value: operator });
    at += operator.length;
  }
  return tokens;
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  contains: (haystack, needle) =>
    Array.isArray(haystack) ? haystack.includes(needle) : toText(haystack).includes(toText(needle)),
  length: (value) => (Array.isArray(value) ? value.length : toText(value).length),
  lower: (value) => toText(value).toLowerCase(),
};

/** Evaluates `source` against `scope`. Throws ExpressionError with a position on bad syntax. */
export function evaluateExpression(source: string, scope: Record<string, unknown>): unknown {
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position];
  const isOp = (value: string) => {
    const token = peek();
    return token?.kind === 'op' && token.value === value;
  };
  const expect = (value: string) => {
    if (!isOp(value)) throw new ExpressionError(`expected "${value}" in "${source}"`);
    position++;
  };

  const parseOr = (): unknown => {
    let left = parseAnd();
    while (isOp('||')) {
      position++;
      const right = parseAnd();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const parseAnd = (): unknown => {
    let left = parseNot();
    while (isOp('&&')) {
      position++;
      const right = parseNot();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const parseNot = (): unknown => {
    if (isOp('!')) {
      position++;
      return !truthy(parseNot());
    }
    return parseComparison();
  };
  const parseComparison = (): unknown => {
    const left = parsePrimary();
    const token = peek();
    if (token?.kind !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(token.value)) return left;
    position++;
    const right = parsePrimary();
    switch (token.value) {
      case '==':
        return looselyEqual(left, right);
      case '!=':
        return !looselyEqual(left, right);
      case '<':
        return Number(left) < Number(right);
      case '<=':
        return Number(left) <= Number(right);
      case '>':
        return Number(left) > Number(right);
      default:
        return Number(left) >= Number(right);
    }
  };
  const parsePrimary = (): unknown => {
    const token = peek();
    if (!token) throw new ExpressionError(`unexpected end of "${source}"`);
    position++;
    if (token.kind === 'number' || token.kind === 'string') return token.value;
    if (token.kind === 'op') {
      if (token.value !== '(') throw new ExpressionError(`unexpected "${token.value}" in "${source}"`);
      const inner = parseOr();
      expect(')');
      return inner;
    }
    if (token.value === 'true') return true;
    if (token.value === 'false') return false;
    if (token.value === 'null') return null;
    if (isOp('(')) {
      const fn = FUNCTIONS[token.value];
      if (!fn) throw new ExpressionError(`unknown function "${token.value}"`);
      position++;
      const args: unknown[] = [];
      while (!isOp(')')) {
        args.push(parseOr());
        if (!isOp(')')) expect(',');
      }
      position++;
      return fn(...args);
    }
    let value: unknown = Object.hasOwn(scope, token.value) ? scope[token.value] : undefined;
    for (;;) {
      if (isOp('.')) {
        position++;
        const key = peek();
        if (key?.kind !== 'name') throw new ExpressionError(`expected a name after "." in "${source}"`);
        position++;
        value = property(value, key.value);
      } else if (isOp('[')) {
        position++;
        const key = parseOr();
        expect(']');
        value = property(value, key);
      } else {
        return value;
      }
    }
  };

  const result = parseOr();
  if (position < tokens.length) throw new ExpressionError(`unexpected trailing input in "${source}"`);
  return result;
}

function property(value: unknown, key: unknown): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const name = String(key);
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

function looselyEqual(left: unknown, right: unknown): boolean {
  if (typeof left === 'object' || typeof right === 'object') return JSON.stringify(left) === JSON.stringify(right);
  return left === right || String(left) === String(right);
}

export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

export function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Fills `{{ path }}` placeholders from the scope; objects are written as JSON. */
export function renderTemplate(template: string, scope: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_whole, path: string) => toText(evaluateExpression(path, scope)));
}

/**
 * Fills a JSON template: a string that is one whole placeholder takes the value itself (a list stays a
 * list); other strings are filled as text.
 */
export function renderJsonTemplate(template: string, scope: Record<string, unknown>): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(template);
  } catch (error) {
    throw new ExpressionError(`the JSON template is not valid JSON: ${(error as Error).message}`);
  }
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = /^\{\{\s*([^}]+?)\s*\}\}$/.exec(node);
      return whole?.[1] ? evaluateExpression(whole[1], scope) : renderTemplate(node, scope);
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    }
    return node;
  };
  return fill(parsed);
}
