import type { Redactor } from '../../privacy/port';

/** The text a test plants where a secret would be; the marker redactor replaces it. */
export const SECRET_MARKER = 'sk-test-SECRET-MARKER-0123456789';
export const REDACTED_MARKER = '[REDACTED:test]';

const replaceMarker = (text: string) => text.replaceAll(SECRET_MARKER, REDACTED_MARKER);

function redactStrings(value: unknown): unknown {
  if (typeof value === 'string') return replaceMarker(value);
  if (Array.isArray(value)) return value.map(redactStrings);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactStrings(item)]));
  }
  return value;
}

/**
 * A test double of the one redactor that knows one secret, the marker: tests of a boundary check that
 * what they plant never comes out, without depending on the real rule set.
 */
export const markerRedactor: Redactor = {
  redact: (text) => Promise.resolve(replaceMarker(text)),
  redactDeep: <T>(value: T) => Promise.resolve(redactStrings(value) as T),
  redactKnown: replaceMarker,
};
