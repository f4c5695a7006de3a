/**
 * The one redactor. Every text that crosses a boundary — to a model, into run events and logs, into
 * memory, into an export, to the renderer — passes it, and each secret found is replaced with
 * `[REDACTED:<rule>]`. Detection uses secretlint's recommended rules plus the literal values of every
 * secret War Room holds and of credential-like environment variables.
 */
export interface Redactor {
  /** The full rule set. Asynchronous because secretlint's Node API is. */
  redact(text: string): Promise<string>;
  /** Every string inside a JSON-like value, redacted with the full rule set (objects are copied, not changed). */
  redactDeep<T>(value: T): Promise<T>;
  /**
   * Only the known secret values (held secrets, credential-like environment variables): cheap and
   * synchronous, the last line of defence on hot synchronous paths such as event appends.
   */
  redactKnown(text: string): string;
}

/** Redacts nothing: for engines and tests wired without a redactor. */
export const NO_REDACTION: Redactor = {
  redact: (text) => Promise.resolve(text),
  redactDeep: (value) => Promise.resolve(value),
  redactKnown: (text) => text,
};
