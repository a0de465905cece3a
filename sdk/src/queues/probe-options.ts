/**
 * Validation of one `monitorQueue()` call's options. Every error names the option and the
 * queue, e.g. `monitorQueue("emails", "bullmq"): option "prefix" must be a non-empty string`.
 */
import { QuasarConfigError } from '../options/errors';
import type { ProbeOptions, ProbeType } from './types';

function where(queue: string, type: string): string {
  return `monitorQueue(${JSON.stringify(queue)}, ${JSON.stringify(type)})`;
}

/** Rejects options the type does not know (a typo must not be silently ignored). */
export function checkKnownOptions(queue: string, type: ProbeType, options: ProbeOptions): void {
  for (const name of Object.keys(options)) {
    if (options[name] === undefined) continue;
    if (!type.options.includes(name)) {
      const known = type.options.length > 0 ? type.options.join(', ') : 'none';
      throw new QuasarConfigError(
        name,
        `${where(queue, type.type)}: unknown option "${name}" (${type.type} takes: ${known})`,
      );
    }
  }
}

/** A string option: the given value, or the default; an empty or non-string value throws. */
export function stringOption(
  queue: string,
  type: string,
  options: ProbeOptions,
  name: string,
  fallback: string,
): string;
export function stringOption(
  queue: string,
  type: string,
  options: ProbeOptions,
  name: string,
  fallback?: undefined,
): string | undefined;
export function stringOption(
  queue: string,
  type: string,
  options: ProbeOptions,
  name: string,
  fallback?: string,
): string | undefined {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') {
    throw new QuasarConfigError(
      name,
      `${where(queue, type)}: option "${name}" must be a string, got ${typeof value}`,
    );
  }
  return value;
}

/** An error about one option's value, in the same wording as the others. */
export function optionError(
  queue: string,
  type: string,
  name: string,
  expected: string,
): QuasarConfigError {
  return new QuasarConfigError(name, `${where(queue, type)}: option "${name}" must be ${expected}`);
}
