/**
 * Narrowing for JSON from the collector: replies are `unknown` until read through these, and a
 * missing or mistyped field reads as `null` rather than throwing.
 */

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The string at `value`, or `null`. */
export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The finite number at `value`, or `null`. */
export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The boolean at `value`, or `null`. */
export function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** Follows `keys` through nested objects; `undefined` as soon as one is missing. */
export function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isRecord(current)) {
      return undefined;
    }
    current = current[key];
  }
  return current;
}
