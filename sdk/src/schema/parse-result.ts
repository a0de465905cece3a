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
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint' ||
    typeof value === 'symbol' ||
    value === undefined
  ) {
    return String(value);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  // A function's text is its source, of any length: it is named instead.
  return typeof value === 'function' ? 'a function' : 'an object';
}

/** What {@link fromJson} returns for text that is not JSON. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

/** A stored JSON string parsed, or a value passed as is; {@link NOT_JSON} for bad text. */
export function fromJson(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** Narrow `unknown` to a finite number within `[min, max]`. */
export function inRange(value: unknown, min: number, max: number): value is number {
  return isFiniteNumber(value) && value >= min && value <= max;
}

/** `value` cut to `max` characters. */
export function cut(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}
