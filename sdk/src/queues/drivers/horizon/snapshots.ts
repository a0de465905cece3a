/**
 * Closed periods of one Horizon queue, from Horizon's own snapshots. Each `horizon:snapshot`
 * (scheduled by the app, every five minutes in Horizon's docs) moves the `throughput` and
 * `runtime` fields of `queue:{name}` into one member of `snapshot:queue:{name}`, then deletes
 * them, so the counting starts again: a member holds what happened since the member before it.
 * Horizon writes each member as PHP's `json_encode` of
 * `{throughput, runtime, wait, time}`:
 * - `throughput` and `runtime` as `HMGET` returned them: decimal strings, or null (false with
 *   phpredis) when no job finished since the last snapshot;
 * - `wait`: Horizon's estimate of the seconds needed to clear the queue (its size times the
 *   mean runtime, over the worker processes), not a time any job waited; so it is not read;
 * - `time`: the snapshot's unix seconds on the PHP host's clock, also the member's score.
 * It keeps the newest 24 (`horizon.metrics.trim_snapshots.queue`).
 *
 * So a pair of consecutive members is one period `[previous time, time)`: `completed` is the
 * jobs Horizon counted in it (deleted from the queue without having failed) and `run` their
 * runtime, a mean times the count, with no histogram (Horizon keeps no more). Horizon counts no
 * pushes and no failures per queue, so `in` and `failed` are left out, and no waits.
 */
import type { QueuePeriod } from '../../../schema';

/** Periods reported per read: the newest, as the collector counts each period once. */
export const HORIZON_PERIODS = 5;
/** Members read per read: one before the oldest period, where that period starts. */
export const HORIZON_SNAPSHOTS_READ = HORIZON_PERIODS + 1;
/** Longest member parsed; Horizon's are under 100 characters. */
const MAX_MEMBER_LENGTH = 512;
/** The latest snapshot time accepted, unix seconds (the schema's epoch bound, 1e13 ms). */
const MAX_TIME_S = 1e10;
/** The longest mean runtime accepted, ms: over a hundred days. */
const MAX_RUNTIME_MS = 1e10;
/** A count as Redis keeps Horizon's Lua numbers: a decimal integer. */
const COUNT = /^\d{1,15}$/;
/** A mean as Redis formats a Lua number: decimal, maybe with an exponent. */
const MEAN = /^\d{1,20}(\.\d{1,20})?([eE][+-]?\d{1,3})?$/;

/** Horizon's measurements of one queue over one span, validated. */
export interface HorizonMetrics {
  /** Jobs counted. */
  throughput: number;
  /** Their mean runtime, ms; 0 when `throughput` is. */
  runtime: number;
}

/** One snapshot member, validated. */
interface HorizonSnapshot extends HorizonMetrics {
  /** Unix seconds. */
  time: number;
}

/** What the snapshots give: the periods, oldest first, and how many members were unreadable. */
export interface HorizonPeriods {
  periods: QueuePeriod[];
  dropped: number;
}

/** A field of a parsed member, own properties only. */
function field(record: object, name: string): unknown {
  return Object.hasOwn(record, name) ? (record as Record<string, unknown>)[name] : undefined;
}

/** `throughput`: a count, or nothing counted (null, or false as phpredis reads a missing field). */
function readThroughput(value: unknown): number | undefined {
  if (value === null || value === false) return 0;
  if (typeof value === 'string' && COUNT.test(value)) return Number(value);
  if (Number.isSafeInteger(value) && (value as number) >= 0) return value as number;
  return undefined;
}

/**
 * `runtime`: a mean in ms, or null/false, which goes only with no throughput (Horizon's script
 * writes both fields at once).
 */
function readRuntime(value: unknown): number | null | undefined {
  if (value === null || value === false) return null;
  const mean = typeof value === 'string' && MEAN.test(value) ? Number(value) : value;
  if (typeof mean !== 'number' || !Number.isFinite(mean)) return undefined;
  return mean >= 0 && mean <= MAX_RUNTIME_MS ? mean : undefined;
}

/**
 * The `throughput` and `runtime` fields as Horizon's script writes them together, live in
 * `queue:{name}` or moved into a snapshot; undefined for anything else.
 */
export function readHorizonMetrics(
  throughput: unknown,
  runtime: unknown,
): HorizonMetrics | undefined {
  const count = readThroughput(throughput);
  const mean = readRuntime(runtime);
  if (count === undefined || mean === undefined) return undefined;
  if (count > 0 && mean === null) return undefined;
  return { throughput: count, runtime: count === 0 ? 0 : (mean ?? 0) };
}

/** One member as Horizon writes it; undefined for anything else. */
function readHorizonSnapshot(member: unknown): HorizonSnapshot | undefined {
  if (typeof member !== 'string' || member.length > MAX_MEMBER_LENGTH) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(member);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const time = field(parsed, 'time');
  if (!Number.isSafeInteger(time) || (time as number) <= 0 || (time as number) > MAX_TIME_S) {
    return undefined;
  }
  const metrics = readHorizonMetrics(field(parsed, 'throughput'), field(parsed, 'runtime'));
  return metrics && { ...metrics, time: time as number };
}

/** `mean × count` to Horizon's own resolution, 0.01 ms, so float noise stays out. */
function runSum(snapshot: HorizonSnapshot): number {
  return Math.round(snapshot.runtime * snapshot.throughput * 100) / 100;
}

/**
 * The periods between consecutive members of `snapshot:queue:{name}` as `ZRANGE` returned them
 * (oldest first). A period needs both its members: an unreadable member costs its own period and
 * the next one's start. Members with the same time (two snapshots within a second) make no
 * period. Anything but an array of members gives no periods.
 */
export function horizonPeriods(members: unknown): HorizonPeriods {
  if (!Array.isArray(members)) return { periods: [], dropped: 0 };
  const recent = members.slice(-HORIZON_SNAPSHOTS_READ);
  const snapshots = recent.map(readHorizonSnapshot);
  const periods: QueuePeriod[] = [];
  for (let i = 1; i < snapshots.length; i++) {
    const start = snapshots[i - 1];
    const end = snapshots[i];
    if (!start || !end || end.time <= start.time) continue;
    periods.push({
      startMs: start.time * 1000,
      endMs: end.time * 1000,
      completed: end.throughput,
      run: { count: end.throughput, sum: runSum(end) },
      source: 'horizon',
    });
  }
  const dropped = snapshots.filter((s) => s === undefined).length;
  return { periods: periods.slice(-HORIZON_PERIODS), dropped };
}

/**
 * `horizonPeriods` for one probe, parsing only when the members changed: Horizon adds one every
 * few minutes, and a probe reads them every beat.
 */
export class HorizonPeriodReader {
  private members: readonly unknown[] = [];
  private last: HorizonPeriods = { periods: [], dropped: 0 };

  /** The periods of `members`, as `horizonPeriods` gives them. */
  read(members: unknown): HorizonPeriods {
    if (!Array.isArray(members)) return horizonPeriods(members);
    const same =
      members.length === this.members.length && members.every((m, i) => m === this.members[i]);
    if (!same) {
      this.members = members;
      this.last = horizonPeriods(members);
    }
    return { periods: this.last.periods.map(copyPeriod), dropped: this.last.dropped };
  }
}

/** A period the caller may change without changing the next read's. */
function copyPeriod(period: QueuePeriod): QueuePeriod {
  return { ...period, ...(period.run ? { run: { ...period.run } } : {}) };
}
