/**
 * Sampled wait and run times of one BullMQ queue, per closed minute: periods of source `sample`.
 *
 * BullMQ keeps a finished job in `completed` or `failed`, scored by its `finishedOn`, unless the
 * job is removed on finish (`removeOnComplete`, `removeOnFail`). A minute is by `finishedOn`, on
 * the workers' clocks. It counts as closed once the probe's Redis `TIME` is past its end by
 * `CLOSE_MARGIN_MS` (for workers' clocks behind Redis's and for finishes in flight) plus this
 * queue's share of `SPREAD_MS` (so a thousand queues do not all read the same minute at once).
 *
 * Each probe read reads at most one closed minute, the oldest not yet read among the last
 * `MAX_SAMPLE_PERIODS`, using the `TIME` of the previous read, so that the reads go in the
 * probe's two round trips: the sets' ranges with the counts, then the job hashes
 * (`./finished-job.ts`) with the checks. Per set, every job of the minute when it holds at most
 * `SAMPLE_PER_SET`, else the first `SAMPLE_PER_STRATUM` of each of `STRATA` equal slices of the
 * minute (`sampled`): jobs of busy seconds are under-represented against those of quiet ones.
 *
 * Every node reading the same minute must report it alike. The reads depend only on the
 * minute's members, so the minute is left out unless they could not have changed: each set's
 * count of the minute is the same in both round trips, and trimming (`removeOnComplete: {count}`
 * or `{age}`, which removes the oldest first) has not reached it: the set still holds a job
 * finished before the minute, or holds none at all. A job removed by hand (`Job#remove`,
 * `Queue#clean`) between two nodes' reads is the one change this cannot see.
 */
import type { QueuePeriod } from '../../../schema';
import type { RedisClient } from '../../../redis/redis-client';
import { periodDurations } from '../../period-durations';
import { oneTrip } from '../../read-batch';
import type { ReadCommands } from '../../read-batch';
import { softRead } from '../../soft-read';
import type { BullKeys } from '../bull-family/keys';
import { FINISHED_JOB_FIELDS, finishedJob } from './finished-job';
import { parseTimeMs } from './stream-reply';

/** Jobs read per set and minute, at most. */
export const SAMPLE_PER_SET = 50;
/** Slices of a minute a busy set is sampled over, and the jobs taken from each. */
export const STRATA = 10;
export const SAMPLE_PER_STRATUM = SAMPLE_PER_SET / STRATA;
/** How long after its end a minute is read, at the least. */
export const CLOSE_MARGIN_MS = 30_000;
/** Queues read a closed minute up to this much later still, each at its own offset. */
export const SPREAD_MS = 30_000;
/** Closed periods kept and reported, oldest first. */
export const MAX_SAMPLE_PERIODS = 5;
/** Longer members of `completed` or `failed` are not job ids of ours to read. */
const MAX_JOB_ID_LENGTH = 256;
const FINISHED_SETS = ['completed', 'failed'] as const;

/** Span and lateness; the defaults are the contract, others serve the tests. */
export interface FinishedSampleOptions {
  /** @default 60_000 */
  periodMs?: number;
  /** @default CLOSE_MARGIN_MS */
  marginMs?: number;
  /** @default SPREAD_MS */
  spreadMs?: number;
}

/** The raw replies of one set's first round: `[count, first, ...strata]`. */
type SetReplies = readonly unknown[];

/** A minute being read: its span and its sets' first-round replies. */
interface Reading {
  startMs: number;
  endMs: number;
  replies: Promise<unknown>;
}

/** A stable offset in `[0, spreadMs)` from the queue's name (FNV-1a). */
function offsetOf(queue: string, spreadMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < queue.length; i++) {
    hash = Math.imul(hash ^ queue.charCodeAt(i), 0x01000193) >>> 0;
  }
  return spreadMs > 0 ? hash % spreadMs : 0;
}

const countOf = (reply: unknown): number | undefined =>
  typeof reply === 'number' && Number.isSafeInteger(reply) && reply >= 0 ? reply : undefined;

/**
 * Job ids of a `ZRANGEBYSCORE` reply of at most `limit` members, leaving out members that are
 * no id of ours; undefined when the reply is malformed.
 */
function idsOf(reply: unknown, limit: number): string[] | undefined {
  if (!Array.isArray(reply) || reply.length > limit) return undefined;
  return reply.filter(
    (id): id is string => typeof id === 'string' && id !== '' && id.length <= MAX_JOB_ID_LENGTH,
  );
}

/** One set's minute: how many it holds and the ids to read; undefined when malformed. */
function pick(replies: SetReplies): { count: number; ids: string[] } | undefined {
  const [countReply, first, ...strata] = replies;
  const count = countOf(countReply);
  if (count === undefined) return undefined;
  if (count <= SAMPLE_PER_SET) {
    const ids = idsOf(first, SAMPLE_PER_SET);
    return ids && { count, ids };
  }
  const ids: string[] = [];
  for (const stratum of strata) {
    const part = idsOf(stratum, SAMPLE_PER_STRATUM);
    if (!part) return undefined;
    ids.push(...part);
  }
  return { count, ids };
}

/** The finished-jobs sample of one queue; one per probe, holding its last periods. */
export class FinishedSample {
  private readonly periodMs: number;
  private readonly lateMs: number;
  private lastTimeMs: number | undefined;
  /** Start of the next minute to read. */
  private next: number | undefined;
  private periods: QueuePeriod[] = [];
  /** The minute this read's first round trip is reading, if any. */
  private reading: Reading | undefined;

  constructor(
    private readonly keys: BullKeys,
    queue: string,
    options: FinishedSampleOptions = {},
  ) {
    this.periodMs = options.periodMs ?? 60_000;
    this.lateMs =
      (options.marginMs ?? CLOSE_MARGIN_MS) + offsetOf(queue, options.spreadMs ?? SPREAD_MS);
  }

  /**
   * Queues the first round's reads of the minute due, if one is, on `r`; the returned promise
   * never rejects. A probe's reads never overlap, so one reading at a time is held.
   */
  start(r: ReadCommands): Promise<unknown> | undefined {
    this.reading = undefined;
    if (this.lastTimeMs === undefined) return undefined;
    const P = this.periodMs;
    const closedEnd = Math.floor((this.lastTimeMs - this.lateMs) / P) * P;
    const oldest = closedEnd - MAX_SAMPLE_PERIODS * P;
    if (this.next === undefined || this.next < oldest) this.next = oldest;
    const startMs = this.next;
    const endMs = startMs + P;
    if (endMs > closedEnd) return undefined;
    const reads = FINISHED_SETS.map((set) => {
      const key = this.keys.state(set);
      const strata = Array.from({ length: STRATA }, (_, i) => {
        const from = startMs + Math.floor((i * P) / STRATA);
        const to = startMs + Math.floor(((i + 1) * P) / STRATA);
        return r.zrangebyscore(key, String(from), `(${to}`, SAMPLE_PER_STRATUM);
      });
      return Promise.all([
        r.zcount(key, String(startMs), `(${endMs}`),
        r.zrangebyscore(key, String(startMs), `(${endMs}`, SAMPLE_PER_SET),
        ...strata,
      ]);
    });
    this.reading = { startMs, endMs, replies: softRead(Promise.all(reads)) };
    return this.reading.replies;
  }

  /**
   * Takes this read's `TIME` reply, reads the jobs `start` chose in a second round trip, and
   * returns the periods held, oldest first. Never rejects.
   */
  async finish(redis: RedisClient, time: unknown): Promise<QueuePeriod[]> {
    const reading = this.reading;
    this.reading = undefined;
    const timeMs = parseTimeMs(time);
    if (timeMs !== undefined) this.lastTimeMs = timeMs;
    if (reading) {
      this.next = reading.endMs;
      const period = await this.read(redis, reading).catch(() => undefined);
      if (period) this.periods.push(period);
    }
    if (this.lastTimeMs !== undefined) {
      const P = this.periodMs;
      const closedEnd = Math.floor((this.lastTimeMs - this.lateMs) / P) * P;
      this.periods = this.periods.filter((p) => p.startMs >= closedEnd - MAX_SAMPLE_PERIODS * P);
    }
    return this.periods.slice(-MAX_SAMPLE_PERIODS);
  }

  /** The period of one minute; undefined when it holds no job or may have changed. */
  private async read(redis: RedisClient, reading: Reading): Promise<QueuePeriod | undefined> {
    const replies = await reading.replies;
    if (!Array.isArray(replies)) return undefined;
    const picks = (replies as SetReplies[]).map(pick);
    if (picks.some((p) => p === undefined)) return undefined;
    const sets = picks as { count: number; ids: string[] }[];
    const total = sets.reduce((sum, s) => sum + s.count, 0);
    if (total === 0) return undefined;
    const { startMs, endMs } = reading;
    const rounds = await oneTrip(redis, (r) =>
      FINISHED_SETS.map((set, i) => {
        const key = this.keys.state(set);
        return Promise.all([
          Promise.all(
            // A key that is no hash costs its job, not the period.
            (sets[i] as { ids: string[] }).ids.map((id) =>
              softRead(r.hmget(this.keys.job(id), ...FINISHED_JOB_FIELDS)),
            ),
          ),
          r.zcount(key, String(startMs), `(${endMs}`),
          r.zcount(key, '-inf', `(${startMs}`),
          r.zcard(key),
        ]);
      }),
    );
    const waits: number[] = [];
    const runs: number[] = [];
    for (const [i, [hashes, count, before, card]] of rounds.entries()) {
      const unchanged = count === sets[i]?.count && (before > 0 || card === 0);
      if (!unchanged) return undefined;
      for (const hash of hashes) {
        const job = finishedJob(hash);
        if (!job || job.finishedOn < startMs || job.finishedOn >= endMs) continue;
        runs.push(job.run);
        if (job.wait !== undefined) waits.push(job.wait);
      }
    }
    if (runs.length === 0) return undefined;
    const sampled = runs.length < total;
    return {
      startMs,
      endMs,
      wait: periodDurations(waits, sampled),
      run: periodDurations(runs, sampled),
      source: 'sample',
    };
  }
}
