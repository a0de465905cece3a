/**
 * Validation of a queue snapshot's `periods`: each period is rebuilt from its known fields into
 * a fresh object, and dropped whole when any of them is malformed (a reversed or out-of-range
 * span, a count that is negative, fractional or beyond `MAX_COUNT`, a histogram whose buckets
 * are not `JOB_DURATION_BOUNDS_MS.length + 1` counts adding up to its `count`, an odd `source`).
 * At most the newest `MAX_QUEUE_PERIODS` are kept. The collector adds these counts into
 * counters, so a half-valid period must never reach it.
 */
import type { PeriodDurations, QueuePeriod } from './heartbeat';
import { JOB_DURATION_BOUNDS_MS, MAX_COUNT, MAX_EPOCH_MS, MAX_QUEUE_PERIODS } from './limits';
import { describe, inRange, isRecord } from './parse-result';

const BUCKETS = JOB_DURATION_BOUNDS_MS.length + 1;

/** A source name: a letter, then letters, digits, `_`, `.` or `-` (never `__proto__`). */
const SOURCE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

const isCount = (value: unknown): value is number =>
  inRange(value, 0, MAX_COUNT) && Number.isInteger(value);
const isEpochMs = (value: unknown): value is number => inRange(value, 0, MAX_EPOCH_MS);

/** A period's durations, rebuilt; undefined when malformed. */
function readDurations(value: unknown): PeriodDurations | undefined {
  if (!isRecord(value)) return undefined;
  const { count, sum, counts, sampled } = value;
  if (!isCount(count) || !inRange(sum, 0, Number.MAX_VALUE)) return undefined;
  if (sampled !== undefined && typeof sampled !== 'boolean') return undefined;
  const durations: PeriodDurations = { count, sum };
  if (counts !== undefined) {
    if (!Array.isArray(counts) || counts.length !== BUCKETS) return undefined;
    let total = 0;
    for (const c of counts as unknown[]) {
      if (!isCount(c)) return undefined;
      total += c;
    }
    if (total !== count) return undefined;
    durations.counts = (counts as number[]).slice();
  }
  if (sampled !== undefined) durations.sampled = sampled;
  return durations;
}

/** One period, rebuilt from its known fields; undefined when any of them is malformed. */
export function readPeriod(value: unknown): QueuePeriod | undefined {
  if (!isRecord(value)) return undefined;
  const { startMs, endMs, source } = value;
  if (!isEpochMs(startMs) || !isEpochMs(endMs) || startMs >= endMs) return undefined;
  if (typeof source !== 'string' || !SOURCE_NAME.test(source)) return undefined;
  const period: QueuePeriod = { startMs, endMs, source };
  for (const field of ['in', 'completed', 'failed'] as const) {
    const count = value[field];
    if (count === undefined) continue;
    if (!isCount(count)) return undefined;
    period[field] = count;
  }
  for (const field of ['wait', 'run'] as const) {
    if (value[field] === undefined) continue;
    const durations = readDurations(value[field]);
    if (durations === undefined) return undefined;
    period[field] = durations;
  }
  return period;
}

/**
 * `periods`, rebuilt: the valid ones of the newest `MAX_QUEUE_PERIODS` (the list is oldest
 * first), in their order; undefined, with a warning, when it is not an array.
 */
export function readPeriods(value: unknown, warnings: string[]): QueuePeriod[] | undefined {
  if (!Array.isArray(value)) {
    warnings.push(`periods: expected an array, got ${describe(value)}, ignored`);
    return undefined;
  }
  const list = value as unknown[];
  const considered = list.length > MAX_QUEUE_PERIODS ? list.slice(-MAX_QUEUE_PERIODS) : list;
  const periods: QueuePeriod[] = [];
  for (const entry of considered) {
    const period = readPeriod(entry);
    if (period) periods.push(period);
  }
  const malformed = considered.length - periods.length;
  if (malformed > 0) warnings.push(`periods: ${malformed} malformed periods ignored`);
  const surplus = list.length - considered.length;
  if (surplus > 0) {
    warnings.push(`periods: ${surplus} periods before the last ${MAX_QUEUE_PERIODS} ignored`);
  }
  return periods;
}
