/**
 * `value` with every string inside it (object keys excepted) passed through `map`. Copy-on-write: an
 * object or array none of whose strings changed is returned as it is, so redacting data with no secret
 * in it allocates nothing and never changes what the caller holds.
 */
export function mapStrings<T>(value: T, map: (text: string) => string): T {
  return mapValue(value, map) as T;
}

function mapValue(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const mapped = mapValue(item, map);
      if (mapped !== item) {
        copy ??= value.slice();
        copy[index] = mapped;
      }
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const mapped = mapValue(item, map);
    if (mapped !== item) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = mapped;
    }
  }
  return copy ?? value;
}

/** Every string inside `value`, in the order mapStrings visits them. */
export function collectStrings(value: unknown, into: string[] = []): string[] {
  mapStrings(value, (text) => {
    into.push(text);
    return text;
  });
  return into;
}

/** JSON-like data only: class instances (a Date, a Buffer) are carried as they are. */
function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
