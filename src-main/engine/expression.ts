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

const MAX_CACHED_SOURCES = 1000;
const tokenCache = new Map<string, readonly Token[]>();

/**
 * A workflow evaluates the same few templates and expressions on every node step and loop round, so
 * their tokens are kept (tokens are never mutated; the parser only moves a position over them).
 */
function cachedTokens(source: string): readonly Token[] {
  let tokens = tokenCache.get(source);
  if (!tokens) {
    tokens = tokenize(source);
    if (tokenCache.size >= MAX_CACHED_SOURCES) tokenCache.clear();
    tokenCache.set(source, tokens);
  }
  return tokens;
}

/** Evaluates `source` against `scope`. Throws ExpressionError with a position on bad syntax. */
export function evaluateExpression(source: string, scope: Record<string, unknown>): unknown {
  return new ExpressionEvaluator(source, cachedTokens(source), scope).evaluate();
}

/** A recursive-descent parser that evaluates as it parses (expressions are short and run once each). */
class ExpressionEvaluator {
  private position = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
    private readonly scope: Record<string, unknown>,
  ) {}

  evaluate(): unknown {
    const result = this.parseOr();
    if (this.position < this.tokens.length) throw new ExpressionError(`unexpected trailing input in "${this.source}"`);
    return result;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token?.kind === 'op' && token.value === value;
  }

  private expect(value: string): void {
    if (!this.isOp(value)) throw new ExpressionError(`expected "${value}" in "${this.source}"`);
    this.position++;
  }

  private parseOr(): unknown {
    return this.parseLeftAssociative(
      '||',
      () => this.parseAnd(),
      (left, right) => (truthy(left) ? left : right),
    );
  }

  private parseAnd(): unknown {
    return this.parseLeftAssociative(
      '&&',
      () => this.parseNot(),
      (left, right) => (truthy(left) ? right : left),
    );
  }

  /** `operand (op operand)*`, folded from the left: both sides are always evaluated (no short-circuit). */
  private parseLeftAssociative(
    op: string,
    operand: () => unknown,
    combine: (left: unknown, right: unknown) => unknown,
  ): unknown {
    let left = operand();
    while (this.isOp(op)) {
      this.position++;
      left = combine(left, operand());
    }
    return left;
  }

  private parseNot(): unknown {
    if (this.isOp('!')) {
      this.position++;
      return !truthy(this.parseNot());
    }
    return this.parseComparison();
  }

  private parseComparison(): unknown {
    const left = this.parsePrimary();
    const token = this.peek();
    if (token?.kind !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(token.value)) return left;
    this.position++;
    const right = this.parsePrimary();
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
  }

  private parsePrimary(): unknown {
    const token = this.peek();
    if (!token) throw new ExpressionError(`unexpected end of "${this.source}"`);
    this.position++;
    if (token.kind === 'number' || token.kind === 'string') return token.value;
    if (token.kind === 'op') {
      if (token.value !== '(') throw new ExpressionError(`unexpected "${token.value}" in "${this.source}"`);
      const inner = this.parseOr();
      this.expect(')');
      return inner;
    }
    if (token.value === 'true') return true;
    if (token.value === 'false') return false;
    if (token.value === 'null') return null;
    if (this.isOp('(')) {
      const fn = FUNCTIONS[token.value];
      if (!fn) throw new ExpressionError(`unknown function "${token.value}"`);
      this.position++;
      const args: unknown[] = [];
      while (!this.isOp(')')) {
        args.push(this.parseOr());
        if (!this.isOp(')')) this.expect(',');
      }
      this.position++;
      return fn(...args);
    }
    let value: unknown = Object.hasOwn(this.scope, token.value) ? this.scope[token.value] : undefined;
    for (;;) {
      if (this.isOp('.')) {
        this.position++;
        const key = this.peek();
        if (key?.kind !== 'name') throw new ExpressionError(`expected a name after "." in "${this.source}"`);
        this.position++;
        value = property(value, key.value);
      } else if (this.isOp('[')) {
        this.position++;
        const key = this.parseOr();
        this.expect(']');
        value = property(value, key);
      } else {
        return value;
      }
    }
  }
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
