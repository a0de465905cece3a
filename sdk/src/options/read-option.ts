/**
 * Reads one option value: explicit, then environment, then default. Shared by every resolver so
 * that precedence and error messages are the same for all options.
 */
import { QuasarConfigError } from './errors';

/** The environment as the resolvers see it (`process.env`, or a plain object in tests). */
export type Env = Record<string, string | undefined>;

/** A value and where it came from, for error messages. */
export interface Sourced<T> {
  value: T;
  /** The environment variable it came from; undefined for an explicit option. */
  from: string | undefined;
}

/** The explicit value, or else the first non-empty variable among `names`. */
export function pick<T>(
  explicit: T | undefined,
  env: Env,
  names: readonly string[],
): Sourced<T | string> | undefined {
  if (explicit !== undefined) return { value: explicit, from: undefined };
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { value, from: name };
  }
  return undefined;
}

/** Throws a `QuasarConfigError` naming the option and, when it came from one, its variable. */
export function fail(
  option: string,
  from: string | undefined,
  expected: string,
  got: unknown,
): never {
  const origin = from ? ` (from ${from})` : '';
  const shown =
    typeof got === 'string' ? JSON.stringify(got) : Array.isArray(got) ? 'an array' : String(got);
  throw new QuasarConfigError(
    option,
    `Invalid option "${option}"${origin}: expected ${expected}, got ${shown}`,
  );
}

/** Narrows to a plain object. */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Fails unless `value` is a plain object: for options typed as objects, which a JavaScript caller
 * may still pass as anything. Unlike `isObject`, it leaves the declared type of the value alone.
 */
export function requireObject(option: string, value: unknown, expected: string): void {
  if (!isObject(value)) fail(option, undefined, expected, value);
}

/** True for an object carrying every named method: how injected clients and providers are checked. */
export const hasMethods = (v: unknown, names: string[]): boolean =>
  isObject(v) && names.every((n) => typeof v[n] === 'function');

/** A boolean option; the environment accepts true/false, 1/0, yes/no and on/off. */
export function booleanOf(
  option: string,
  explicit: unknown,
  env: Env,
  name: string,
  fallback: boolean,
): boolean {
  if (explicit !== undefined) {
    if (typeof explicit !== 'boolean') fail(option, undefined, 'true or false', explicit);
    return explicit;
  }
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  return fail(option, name, 'true or false', env[name]);
}

/** How a numeric option is checked, and how the check reads in an error message. */
export interface NumberRule {
  accepts(value: number): boolean;
  expected: string;
}

/** A numeric option; the environment's string is read with `Number()`, blanks mean unset. */
export function numberOf(
  option: string,
  explicit: unknown,
  env: Env,
  name: string | undefined,
  fallback: number,
  rule: NumberRule,
): number {
  const s = pick(explicit, env, name ? [name] : []);
  if (s === undefined) return fallback;
  // A blank variable is a mistake, not zero (which `Number('  ')` would make it).
  const value =
    typeof s.value === 'string' && s.from
      ? s.value.trim() === ''
        ? NaN
        : Number(s.value.trim())
      : s.value;
  if (typeof value !== 'number' || !rule.accepts(value))
    fail(option, s.from, rule.expected, s.value);
  return value;
}
