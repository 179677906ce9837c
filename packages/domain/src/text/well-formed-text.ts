/**
 * Text PostgreSQL cannot store: NUL (refused in `text` and as `\u0000` in `jsonb`) and lone UTF-16 surrogates
 * (refused in `jsonb`, mangled elsewhere). A customer's phone can send either; one such character must never fail a
 * write, let alone a batch of other customers' messages.
 */
const nul = /\u0000/g;

/** The text with each NUL and lone surrogate replaced by U+FFFD, the replacement character. */
export function cleanText(text: string): string {
  return text.toWellFormed().replace(nul, '\uFFFD');
}

/** `cleanText` applied to every string inside a JSON-like value (a new value; the input is left as it is). */
export function cleanStrings<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((item) => cleanStrings(item)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [cleanText(key), cleanStrings(item)])) as T;
  }
  return value;
}

/** The path (`steps.0.customer`) of the first string inside `value` that `cleanText` would change, or null. */
export function findMalformedText(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.isWellFormed() && !value.includes('\u0000') ? null : path.join('.');
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findMalformedText(key, [...path, key]) ?? findMalformedText(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}
