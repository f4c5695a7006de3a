import { isSecretLike, KnownSecrets, type KnownSecret } from './known-secrets';
import { collectStrings, mapStrings } from '@shared/map-strings';
import type { Redactor } from './port';
import { findSecrets, type SecretFinding } from './secret-rules';

/**
 * Texts checked in one call of the rules are joined by this: a newline ends every rule's match, and no
 * rule's character class takes a NUL, so nothing found spans two texts (a finding that did would be cut
 * at the border and still redacted on both sides).
 */
const SEPARATOR = '\n\u0000\n';
/** A redaction can leave text a rule matches again (a connection string around a marker): repeat until none. */
const MAX_PASSES = 4;
const MARKER = /^\[REDACTED:[^\]]*\]$/;
const REFRESH_INTERVAL_MS = 1000;

export interface SecretRedactorOptions {
  /** The secret values War Room holds right now (saved secrets, MCP secrets, credential-like environment). */
  knownSecrets: () => readonly KnownSecret[];
  /** How old the known values may get before an asynchronous redaction re-reads them. */
  refreshIntervalMs?: number;
  now?: () => number;
}

/**
 * The one redactor (see port.ts): secretlint's recommended rules, plus the literal values War Room
 * knows. Each secret becomes `[REDACTED:<rule>]` (`anthropic`, `aws`, `privatekey`…) or, for a known
 * value, `[REDACTED:<where it is held>]` (`secret:anthropicApiKey`, `env:GITHUB_TOKEN`…).
 */
export class SecretRedactor implements Redactor {
  private readonly known: KnownSecrets;
  private readonly refreshIntervalMs: number;
  private readonly now: () => number;
  /** Never read yet: the sources are read when first needed (the app creates them after the redactor). */
  private refreshedAt = Number.NEGATIVE_INFINITY;

  constructor(options: SecretRedactorOptions) {
    this.known = new KnownSecrets(options.knownSecrets);
    this.refreshIntervalMs = options.refreshIntervalMs ?? REFRESH_INTERVAL_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** Re-reads the known values now (the app calls it when a secret is saved or cleared). */
  refreshKnownSecrets(): void {
    this.known.refresh();
    this.refreshedAt = this.now();
  }

  async redact(text: string): Promise<string> {
    const [redacted] = await this.redactAll([text]);
    return redacted ?? text;
  }

  async redactDeep<T>(value: T): Promise<T> {
    const texts = collectStrings(value);
    if (texts.length === 0) return value;
    const redacted = await this.redactAll(texts);
    let index = 0;
    return mapStrings(value, (text) => redacted[index++] ?? text);
  }

  redactKnown(text: string): string {
    if (this.refreshedAt === Number.NEGATIVE_INFINITY) this.refreshKnownSecrets();
    return this.known.replace(text);
  }

  /** Many texts through the rules in one call (each call has a fixed cost well above scanning a few KB). */
  private async redactAll(texts: readonly string[]): Promise<string[]> {
    if (this.now() - this.refreshedAt > this.refreshIntervalMs) this.refreshKnownSecrets();
    const current = texts.map((text) => this.known.replace(text));
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const joined = current.join(SEPARATOR);
      const findings = (await findSecrets(joined)).filter(
        (finding) => !MARKER.test(joined.slice(finding.start, finding.end)),
      );
      if (findings.length === 0) break;
      let offset = 0;
      for (let index = 0; index < current.length; index++) {
        const text = current[index] ?? '';
        const inText = findings
          .filter((finding) => finding.start < offset + text.length && finding.end > offset)
          .flatMap((finding) => [
            {
              start: Math.max(0, finding.start - offset),
              end: Math.min(text.length, finding.end - offset),
              rule: finding.rule,
            },
            ...occurrences(text, finding.values ?? [], finding.rule),
          ]);
        if (inText.length > 0) current[index] = this.replaceFindings(text, inText);
        offset += text.length + SEPARATOR.length;
      }
    }
    return current;
  }

  private replaceFindings(text: string, findings: readonly SecretFinding[]): string {
    let result = '';
    let cursor = 0;
    for (const span of mergeOverlapping(findings)) {
      const secret = text.slice(span.start, span.end);
      this.known.learn(secret.trim(), span.rule);
      result += `${text.slice(cursor, span.start)}[REDACTED:${span.rule}]`;
      cursor = span.end;
    }
    return result + text.slice(cursor);
  }
}

/**
 * Makes the redactor re-read its known values right after each of `methods` of `target` (a secret store's
 * set and clear), so a secret saved through any host is redacted from the next text on.
 */
export function refreshKnownSecretsAfter<T extends object>(
  redactor: SecretRedactor,
  target: T,
  methods: ReadonlyArray<keyof T>,
): void {
  for (const method of methods) {
    const original: unknown = target[method];
    if (typeof original !== 'function') continue;
    (target as Record<keyof T, unknown>)[method] = (...args: unknown[]): unknown => {
      const result: unknown = original.apply(target, args);
      redactor.refreshKnownSecrets();
      return result;
    };
  }
}

/** Where a reported secret value occurs in `text` (values too short to be one are left alone). */
function occurrences(text: string, values: readonly string[], rule: string): SecretFinding[] {
  const spans: SecretFinding[] = [];
  for (const value of values) {
    if (!isSecretLike(value)) continue;
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
      spans.push({ start: at, end: at + value.length, rule });
    }
  }
  return spans;
}

/** Overlapping findings become one span, named by the rule whose finding starts first. */
function mergeOverlapping(findings: readonly SecretFinding[]): SecretFinding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretFinding[] = [];
  for (const finding of sorted) {
    const last = merged.at(-1);
    if (last && finding.start < last.end) last.end = Math.max(last.end, finding.end);
    else merged.push({ ...finding });
  }
  return merged;
}
