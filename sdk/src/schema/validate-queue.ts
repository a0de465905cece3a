/**
 * Validation of queue snapshots: entries of a heartbeat's `queues` array, and the JSON values
 * of the per-service hash `gravito:quasar:queues:{service}`. Every list, string and count is
 * bounded (see `limits.ts`): a snapshot that cannot be read is refused whole, a malformed
 * optional field is dropped with a warning, and an over-long text is cut.
 */
import { fitsBounds } from './bounded-json';
import { readFailureGroups } from './validate-failure-groups';
import type { FailedJobSample, QueueSize, QueueSnapshot, QueueThroughput } from './heartbeat';
import {
  MAX_ACTIONS,
  MAX_COUNT,
  MAX_EPOCH_MS,
  MAX_FAILED_SAMPLE,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_QUEUE_STATES,
  MAX_TEXT_LENGTH,
  QUEUE_BOUNDS,
} from './limits';
import { NOT_JSON, cut, describe, fromJson, inRange, isRecord } from './parse-result';
import type { ParseResult } from './parse-result';
import { readFailedJob } from './validate-failed-job';
import { readPeriods } from './validate-periods';

/** A state name: a letter, then letters, digits, `_` or `-` (never `__proto__`). */
const STATE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

const isCount = (value: unknown): value is number => inRange(value, 0, MAX_COUNT);
const isEpochMs = (value: unknown): value is number => inRange(value, 0, MAX_EPOCH_MS);

/** Checks `size` in place: it is kept as it is when every state name and count is valid. */
function readSize(value: unknown): QueueSize | string {
  if (!isRecord(value)) return `size: expected an object, got ${describe(value)}`;
  let states = 0;
  for (const state in value) {
    if (++states > MAX_QUEUE_STATES) return `size: more than ${MAX_QUEUE_STATES} states`;
    if (!STATE_NAME.test(state)) return `size: ${describe(state)} is not a state name`;
    const count = value[state];
    if (!isCount(count)) return `size.${state}: expected a count ≥ 0, got ${describe(count)}`;
  }
  return value as QueueSize;
}

function readFailedSample(value: unknown, warnings: string[]): FailedJobSample[] | undefined {
  if (!Array.isArray(value)) {
    warnings.push('failedSample: expected an array, ignored');
    return undefined;
  }
  const jobs: FailedJobSample[] = [];
  let dropped = 0;
  for (const entry of value) {
    const job = jobs.length < MAX_FAILED_SAMPLE ? readFailedJob(entry, MAX_TEXT_LENGTH) : undefined;
    if (job) jobs.push(job);
    else dropped++;
  }
  if (dropped > 0)
    warnings.push(
      `failedSample: ${dropped} entries beyond the first ${MAX_FAILED_SAMPLE} valid ones ignored`,
    );
  return jobs;
}

/**
 * `throughput`, rebuilt from its known fields; undefined when any is malformed: rates ≥ 0
 * (`in` may be left out), a short `source`, a positive `windowMs`, a duration `meanRunMs`.
 */
function readThroughput(value: unknown): QueueThroughput | undefined {
  if (!isRecord(value)) return undefined;
  const { in: added, out, failed, source, windowMs, meanRunMs } = value;
  if (!isCount(out) || (added !== undefined && !isCount(added))) return undefined;
  if (failed !== undefined && !isCount(failed)) return undefined;
  if (source !== undefined && (typeof source !== 'string' || source.length > MAX_LABEL_LENGTH)) {
    return undefined;
  }
  if (windowMs !== undefined && (!isEpochMs(windowMs) || windowMs === 0)) return undefined;
  if (meanRunMs !== undefined && !isEpochMs(meanRunMs)) return undefined;
  const throughput: QueueThroughput = { out };
  if (added !== undefined) throughput.in = added;
  if (failed !== undefined) throughput.failed = failed;
  if (source !== undefined) throughput.source = source;
  if (windowMs !== undefined) throughput.windowMs = windowMs;
  if (meanRunMs !== undefined) throughput.meanRunMs = meanRunMs;
  return throughput;
}

const isActions = (value: unknown): value is string[] =>
  Array.isArray(value) &&
  value.length <= MAX_ACTIONS &&
  value.every((a) => typeof a === 'string' && a.length <= MAX_LABEL_LENGTH);

/** Optional fields: each is kept when its check passes, else dropped with a warning. */
const OPTIONAL: ReadonlyArray<readonly [keyof QueueSnapshot, (v: unknown) => boolean, string]> = [
  ['actions', isActions, 'not an array of strings'],
  ['paused', (v) => typeof v === 'boolean', 'not a boolean'],
  ['oldestWaitingAgeMs', isEpochMs, 'not a duration in range'],
  ['observedAt', isEpochMs, 'not a timestamp in range'],
];

/**
 * Reads one snapshot that is already parsed and known to fit `QUEUE_BOUNDS`; returns why it is
 * unusable as a string. Warnings about dropped fields are appended to `warnings`.
 */
export function readQueue(raw: unknown, warnings: string[]): QueueSnapshot | string {
  if (!isRecord(raw)) return `expected {name, size: {state: number}}, got ${describe(raw)}`;
  const { name, driver } = raw;
  if (typeof name !== 'string' || name === '' || name.length > MAX_NAME_LENGTH) {
    return `name: expected 1–${MAX_NAME_LENGTH} characters, got ${describe(name)}`;
  }
  if (driver !== undefined && (typeof driver !== 'string' || driver.length > MAX_LABEL_LENGTH)) {
    return `driver: expected a short string, got ${describe(driver)}`;
  }
  const size = readSize(raw.size);
  if (typeof size === 'string') return size;
  // Unknown fields are kept (the value fits QUEUE_BOUNDS); known ones are rebuilt below.
  const value: QueueSnapshot = { ...raw, name, driver: driver ?? 'redis', size };
  for (const [field, valid, problem] of OPTIONAL) {
    if (value[field] !== undefined && !valid(value[field])) {
      warnings.push(`${field}: ${problem}, ignored`);
      delete value[field];
    }
  }
  if (value.throughput !== undefined) {
    const throughput = readThroughput(value.throughput);
    if (throughput === undefined) {
      warnings.push('throughput: not {in, out, failed} rates ≥ 0 over a window, ignored');
      delete value.throughput;
    } else value.throughput = throughput;
  }
  if (value.periods !== undefined) {
    const periods = readPeriods(value.periods, warnings);
    if (periods === undefined) delete value.periods;
    else value.periods = periods;
  }
  if (value.failedSample !== undefined) {
    const sample = readFailedSample(value.failedSample, warnings);
    if (sample === undefined) delete value.failedSample;
    else value.failedSample = sample;
  }
  if (value.failureGroups !== undefined) {
    const groups = readFailureGroups(value.failureGroups, warnings);
    if (groups === undefined) delete value.failureGroups;
    else value.failureGroups = groups;
  }
  if (value.error !== undefined) {
    if (typeof value.error === 'string') value.error = cut(value.error, MAX_TEXT_LENGTH);
    else {
      warnings.push('error: not a string, ignored');
      delete value.error;
    }
  }
  return value;
}

/** Validates one queue snapshot, given as stored JSON or as a parsed value. */
export function parseQueueSnapshot(input: unknown): ParseResult<QueueSnapshot> {
  const raw = fromJson(input);
  if (raw === NOT_JSON) return { ok: false, error: 'not valid JSON' };
  if (!fitsBounds(raw, QUEUE_BOUNDS)) {
    return {
      ok: false,
      error: `nested deeper than ${QUEUE_BOUNDS.maxDepth} levels or over ${QUEUE_BOUNDS.maxEntries} entries`,
    };
  }
  const warnings: string[] = [];
  const value = readQueue(raw, warnings);
  if (typeof value === 'string') return { ok: false, error: value };
  return { ok: true, value, warnings };
}
