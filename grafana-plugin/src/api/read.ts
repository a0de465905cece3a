/**
 * Narrowing for JSON from the collector: replies are `unknown` until read through these, and a
 * missing, mistyped or out-of-range field reads as `null` rather than throwing. Only an object's
 * own properties are read, so a key such as `constructor` or `toString` is data like any other
 * and never finds something on `Object.prototype`.
 */
import { MAX_BYTES, MAX_DURATION_MS, MAX_EPOCH_MS, MAX_ID_LENGTH, MAX_LABEL_LENGTH, MAX_TEXT_LENGTH } from './limits';

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own property `key` of `value`, or `undefined`: never an inherited one. */
export function field(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/**
 * `table[key]` when `key` is one of the table's own keys, else `undefined`: the lookup for a key
 * that comes from data, so `constructor` or `__proto__` finds nothing rather than `Object`'s.
 */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Follows `keys` through nested objects' own properties; `undefined` as soon as one is missing. */
export function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    current = field(current, key);
  }
  return current;
}

/** The string at `value`, or `null`. Unbounded: prefer {@link text}, {@link label} or {@link id}. */
export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The string at `value` cut to `max` characters (the last one an ellipsis), or `null`. */
export function text(value: unknown, max = MAX_TEXT_LENGTH): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  if (value.length <= max) {
    return value;
  }
  // Never leave half of a surrogate pair at the cut.
  const end = isHighSurrogate(value.charCodeAt(max - 2)) ? max - 2 : max - 1;
  return `${value.slice(0, end)}…`;
}

/** A short label ({@link MAX_LABEL_LENGTH}), cut like {@link text}. */
export function label(value: unknown): string | null {
  return text(value, MAX_LABEL_LENGTH);
}

/**
 * A non-empty identifier of at most {@link MAX_ID_LENGTH} characters, or `null`. Ids go back to
 * the collector in commands, so one too long is refused rather than cut into another id.
 */
export function id(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH ? value : null;
}

/** The finite number at `value`, or `null`. */
export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The number at `value` when it lies in `[min, max]`, else `null`: for figures a clamp would falsify. */
export function inRange(value: unknown, min: number, max: number): number | null {
  const n = num(value);
  return n !== null && n >= min && n <= max ? n : null;
}

/** The number at `value` clamped into `[min, max]`, or `null` when there is none: for percentages. */
export function clamped(value: unknown, min: number, max: number): number | null {
  const n = num(value);
  return n === null ? null : Math.min(Math.max(n, min), max);
}

/** An instant `Date` can show, epoch milliseconds from 1970 on, or `null`. */
export function epochMs(value: unknown): number | null {
  return inRange(value, 0, MAX_EPOCH_MS);
}

/** A duration or age in milliseconds, from 0 to {@link MAX_DURATION_MS}, or `null`. */
export function durationMs(value: unknown): number | null {
  return inRange(value, 0, MAX_DURATION_MS);
}

/** Memory in bytes, from 0 to {@link MAX_BYTES}, or `null`. */
export function bytes(value: unknown): number | null {
  return inRange(value, 0, MAX_BYTES);
}

/** The boolean at `value`, or `null`. */
export function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/**
 * Reads the entries of the array at `value` with `read`, keeping at most `max` readable ones
 * and skipping the others; anything but an array reads as none.
 */
export function listOf<T>(value: unknown, max: number, read: (entry: unknown) => T | null): T[] {
  const out: T[] = [];
  if (!Array.isArray(value)) {
    return out;
  }
  for (const entry of value) {
    if (out.length >= max) {
      break;
    }
    const item = read(entry);
    if (item !== null) {
      out.push(item);
    }
  }
  return out;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
