/**
 * Validates what the application passed to `recordSlow()`. The input is `unknown`: plain
 * JavaScript callers can pass anything, and a bad call must be counted, not thrown.
 */
import { SLOW_FIELD_MAX_LENGTH, SLOW_KINDS, isFiniteNumber, isRecord } from '../schema';
import type { ParseResult } from '../schema';
import { describe } from '../schema/parse-result';
import type { SlowRecordInput } from './types';

const OPTIONAL_STRINGS = ['method', 'route', 'queue'] as const;

/**
 * Strings are cut to what the stream keeps before they wait in the buffer, and copied, so a
 * 1 MB query string given as a name does not stay alive behind a 512-character slice.
 */
function bounded(text: string): string {
  return text.length > SLOW_FIELD_MAX_LENGTH
    ? Buffer.from(text.slice(0, SLOW_FIELD_MAX_LENGTH)).toString()
    : text;
}

/** Reads a `SlowRecordInput`, copying only the known fields; the error names the bad field. */
export function readSlowInput(input: unknown): ParseResult<SlowRecordInput> {
  if (!isRecord(input)) return { ok: false, error: `expected an object, got ${describe(input)}` };
  const { kind, name, durationMs, status } = input;
  if (!(SLOW_KINDS as readonly unknown[]).includes(kind)) {
    return { ok: false, error: `kind: expected "request" or "job", got ${describe(kind)}` };
  }
  if (typeof name !== 'string' || name.trim() === '') {
    return { ok: false, error: `name: expected a non-empty string, got ${describe(name)}` };
  }
  if (!isFiniteNumber(durationMs) || durationMs < 0) {
    return {
      ok: false,
      error: `durationMs: expected a number of milliseconds ≥ 0, got ${describe(durationMs)}`,
    };
  }
  const value: SlowRecordInput = {
    kind: kind as SlowRecordInput['kind'],
    name: bounded(name),
    durationMs,
  };
  for (const field of OPTIONAL_STRINGS) {
    const v = input[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') {
      return { ok: false, error: `${field}: expected a string, got ${describe(v)}` };
    }
    value[field] = bounded(v);
  }
  if (status !== undefined && status !== null) {
    if (!Number.isInteger(status)) {
      return { ok: false, error: `status: expected an integer, got ${describe(status)}` };
    }
    value.status = status as number;
  }
  return { ok: true, value, warnings: [] };
}
