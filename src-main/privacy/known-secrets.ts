/** A secret value War Room knows literally, and the label its redaction marker shows. */
export interface KnownSecret {
  value: string;
  label: string;
}

/** Values shorter than this are not treated as secrets: redacting every "password1" in a text helps no one. */
export const MIN_SECRET_LENGTH = 8;
/** Found-by-rule values kept for the synchronous matcher; the oldest go first past this. */
const MAX_LEARNED = 512;

const CREDENTIAL_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;
const TRIVIAL_VALUE = /^(?:\d+|true|false|yes|no|on|off|null|undefined)$/i;

/** Whether a value is worth matching literally (long enough, not a flag or a number). */
export function isSecretLike(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH && !TRIVIAL_VALUE.test(value) && value.trim() === value;
}

/** Environment variables whose names look like credentials (…KEY, …TOKEN, …SECRET, …PASSWORD…). */
export function credentialEnvironmentSecrets(env: NodeJS.ProcessEnv): KnownSecret[] {
  const secrets: KnownSecret[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !CREDENTIAL_NAME.test(name)) continue;
    const trimmed = value.trim();
    if (isSecretLike(trimmed)) secrets.push({ value: trimmed, label: `env:${name}` });
  }
  return secrets;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The literal secret values, as one precompiled matcher: the held secrets and credential-like
 * environment variables (re-read on `refresh`), plus every value the rules found in some text, so a
 * secret seen once at an asynchronous boundary is caught at the synchronous ones from then on. With no
 * values there is no matcher and replacing costs nothing.
 */
export class KnownSecrets {
  private held = new Map<string, string>();
  private readonly learned = new Map<string, string>();
  private matcher: RegExp | null = null;
  private labels = new Map<string, string>();
  private stale = true;

  constructor(private readonly sources: () => readonly KnownSecret[]) {}

  /** Re-reads the sources (a secret was saved or cleared, an MCP secret added…). */
  refresh(): void {
    const next = new Map<string, string>();
    for (const secret of this.sources()) {
      const value = secret.value.trim();
      if (isSecretLike(value) && !next.has(value)) next.set(value, secret.label);
    }
    if (!sameEntries(next, this.held)) {
      this.held = next;
      this.stale = true;
    }
  }

  /** Remembers a value a rule found, so the synchronous matcher catches it from now on. */
  learn(value: string, label: string): void {
    if (!isSecretLike(value) || this.held.has(value) || this.learned.has(value)) return;
    this.learned.set(value, label);
    if (this.learned.size > MAX_LEARNED) {
      const oldest = this.learned.keys().next().value;
      if (oldest !== undefined) this.learned.delete(oldest);
    }
    this.stale = true;
  }

  /** `text` with every known value replaced by `[REDACTED:<label>]`. */
  replace(text: string): string {
    const matcher = this.currentMatcher();
    if (!matcher || text.length < MIN_SECRET_LENGTH) return text;
    matcher.lastIndex = 0;
    if (!matcher.test(text)) return text;
    matcher.lastIndex = 0;
    return text.replace(matcher, (value) => `[REDACTED:${this.labels.get(value) ?? 'secret'}]`);
  }

  /** Whether there is anything to match (nothing to do otherwise). */
  isEmpty(): boolean {
    return this.currentMatcher() === null;
  }

  private currentMatcher(): RegExp | null {
    if (!this.stale) return this.matcher;
    this.stale = false;
    this.labels = new Map([...this.learned, ...this.held]);
    // Longest first, so a value that contains another is replaced whole.
    const values = [...this.labels.keys()].sort((a, b) => b.length - a.length);
    this.matcher = values.length === 0 ? null : new RegExp(values.map(escapeRegExp).join('|'), 'g');
    return this.matcher;
  }
}

function sameEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}
