/**
 * Validates what the application passed to `recordJob()`. The input is `unknown`: plain
 * JavaScript callers can pass anything, and a bad call must be counted, not thrown.
 */
import { MAX_LABEL_LENGTH, MAX_NAME_LENGTH, isFiniteNumber, isRecord } from '../schema';
import type { JobOutcome, ParseResult } from '../schema';
import { describe } from '../schema/parse-result';

/** `system` when the caller leaves it out. */
export const DEFAULT_JOB_SYSTEM = 'custom';

/** A validated attempt: durations are undefined when not given. */
export interface JobRecord {
  queue: string;
  system: string;
  outcome: JobOutcome;
  waitMs: number | undefined;
  runMs: number | undefined;
}

const isOutcome = (value: unknown): value is JobOutcome =>
  value === 'completed' || value === 'failed' || value === 'retried';

// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A label: as long as allowed, not empty, no control characters (they reach metric labels). */
function isLabel(value: unknown, max: number): value is string {
  return (
    typeof value === 'string' && value.length > 0 && value.length <= max && !CONTROL.test(value)
  );
}

function duration(value: unknown, field: string): number | undefined | string {
  if (value === undefined || value === null) return undefined;
  if (!isFiniteNumber(value) || value < 0) {
    return `${field}: expected a number of milliseconds ≥ 0, got ${describe(value)}`;
  }
  return value;
}

/** Reads a `JobRecordInput`; the error names the bad field. */
export function readJobInput(input: unknown): ParseResult<JobRecord> {
  if (!isRecord(input)) return { ok: false, error: `expected an object, got ${describe(input)}` };
  const { queue, outcome } = input;
  const system = input.system ?? DEFAULT_JOB_SYSTEM;
  if (!isLabel(queue, MAX_NAME_LENGTH)) {
    return {
      ok: false,
      error: `queue: expected 1–${MAX_NAME_LENGTH} characters, got ${describe(queue)}`,
    };
  }
  if (!isLabel(system, MAX_LABEL_LENGTH)) {
    return {
      ok: false,
      error: `system: expected 1–${MAX_LABEL_LENGTH} characters, got ${describe(system)}`,
    };
  }
  if (!isOutcome(outcome)) {
    return {
      ok: false,
      error: `outcome: expected "completed", "failed" or "retried", got ${describe(outcome)}`,
    };
  }
  const waitMs = duration(input.waitMs, 'waitMs');
  if (typeof waitMs === 'string') return { ok: false, error: waitMs };
  const runMs = duration(input.runMs, 'runMs');
  if (typeof runMs === 'string') return { ok: false, error: runMs };
  return { ok: true, value: { queue, system, outcome, waitMs, runMs }, warnings: [] };
}
