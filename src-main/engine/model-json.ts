/**
 * The JSON object in a model's answer. Models sometimes wrap it in prose or a code fence, so this takes
 * the outermost `{…}`; it says whether there was none or it did not parse, for the caller's own message.
 */
export function jsonObjectIn(text: string): { ok: true; value: unknown } | { ok: false; problem: 'none' | 'invalid' } {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return { ok: false, problem: 'none' };
  try {
    return { ok: true, value: JSON.parse(text.slice(start, end + 1)) as unknown };
  } catch {
    return { ok: false, problem: 'invalid' };
  }
}
