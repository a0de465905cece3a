/** Outcome of validating external data (a Redis reply, an HTTP body). */
export type ParseResult<T> =
  | {
      ok: true;
      value: T;
      /** Optional fields that were malformed and dropped; the rest of the value is usable. */
      warnings: readonly string[];
    }
  | { ok: false; error: string };

/** Narrow `unknown` to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Narrow `unknown` to a finite number. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Short description of a value for error messages; never echoes long strings. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
