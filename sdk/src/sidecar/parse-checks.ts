/**
 * Availability checks. `QUASAR_CHECKS` and the config file's `checks` are a JSON array of
 * `{ "name", "type": "http" | "tcp", …options }`, the options of `QuasarAgent.monitorCheck()`.
 * Only the shape is checked here; `monitorCheck()` validates each option by name.
 */
import { expected, InvalidValue, shown } from './errors';

/** One `monitorCheck(name, options)` call. */
export interface CheckSpec {
  name: string;
  options: Record<string, unknown> & { type: string };
}

/** The check types `monitorCheck()` knows. */
export const CHECK_TYPES = ['http', 'tcp'] as const;

function check(entry: unknown, index: number): CheckSpec {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new InvalidValue(`checks[${index}]: expected an object, got ${shown(entry)}`);
  }
  const { name, ...options } = entry as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InvalidValue(`checks[${index}].name: ${expected('a check name', name).message}`);
  }
  const type = options.type;
  if (typeof type !== 'string' || !(CHECK_TYPES as readonly string[]).includes(type)) {
    throw new InvalidValue(
      `check "${name}": type ${expected(CHECK_TYPES.map((t) => `"${t}"`).join(' or '), type).message}`,
    );
  }
  return { name: name.trim(), options: { ...options, type } };
}

/** Parses an array of checks, as the config file gives it. */
export function parseCheckArray(raw: unknown): CheckSpec[] {
  if (!Array.isArray(raw)) throw expected('an array of checks', raw);
  const checks = raw.map(check);
  const seen = new Set<string>();
  for (const c of checks) {
    if (seen.has(c.name)) throw new InvalidValue(`check "${c.name}" is listed twice`);
    seen.add(c.name);
  }
  return checks;
}

/** Parses `QUASAR_CHECKS`: the same array, as JSON text. */
export function parseCheckJson(json: string): CheckSpec[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidValue(`expected a JSON array of checks, but it is not JSON (${reason})`);
  }
  return parseCheckArray(raw);
}
