/**
 * `bullmq`: a BullMQ queue (v5 and v6). Counts match `Queue#getJobCounts()` state for state,
 * read with plain read commands rather than its `getCounts` script, which may `RPOP` a legacy
 * marker (a write):
 * - lists `wait` and `active`, and `paused`, where BullMQ ≤ 5 moved the waiting jobs on pause.
 *   From 6, a pause only sets `paused` in the `meta` hash and the jobs stay in `wait`, so
 *   `getJobCounts()` counts them as waiting, and so do we;
 * - zsets `prioritized`, `delayed`, `completed`, `failed` and `waiting-children`.
 *
 * Whether the queue is paused is the `paused` field of the `meta` hash, which every version
 * sets on pause and deletes on resume, as `Queue#isPaused()` reads it.
 *
 * Jobs are `LPUSH`ed onto `wait` and taken from its right end, so the tail is the oldest job
 * (the next to run; a `lifo` job jumps ahead of it).
 *
 * Throughput and closed periods come from the queue's events stream, in the same round trip
 * (`./events-throughput.ts`, `./events-periods.ts`); sampled wait and run times per closed
 * minute from the finished jobs, in the same two round trips (`./finished-sample.ts`).
 */
import { countOf, MAX_FAILED_SAMPLE } from '../../failed-sample';
import { FailureScan, MAX_SCANNED_FAILURES } from '../../failures/failure-scan';
import { monitorRedis } from '../../monitor-redis';
import { oneTrip } from '../../read-batch';
import { softRead } from '../../soft-read';
import { checkKnownOptions } from '../../probe-options';
import type { QueuePeriod } from '../../../schema';
import type { ProbeType, QueueProbe } from '../../types';
import { readJobDetails } from '../bull-family/job-details';
import { bullKeys, bullPrefixOption } from '../bull-family/keys';
import { EventsThroughput, MAX_EVENTS_PER_READ } from './events-throughput';
import { FinishedSample } from './finished-sample';

/**
 * BullMQ ≤ 4 could leave a marker (`0:<delay>`) at the tail of `wait` or `paused`.
 * `getJobCounts()` leaves it out of the count, and so do we.
 */
const LEGACY_MARKER = '0:';

/** One list of waiting jobs: its count as `getJobCounts()` gives it, and its oldest job. */
interface Line {
  count: number;
  oldest: string | undefined;
}

/** A list's count and oldest job id, from its `LLEN` and its last two elements. */
function line(length: number, last: string | null, beforeLast: string | null): Line {
  if (last === null || !last.startsWith(LEGACY_MARKER)) {
    return { count: countOf(length), oldest: last ?? undefined };
  }
  return { count: Math.max(0, countOf(length) - 1), oldest: beforeLast ?? undefined };
}

/** The first value of an `HMGET` reply. */
const firstOf = (reply: unknown): unknown => (Array.isArray(reply) ? reply[0] : reply);

/** The closed minutes the window counted, when it has any. */
function periodsOf(window: EventsThroughput, sampled: QueuePeriod[]): { periods?: QueuePeriod[] } {
  const periods = [...window.periods.periods, ...sampled];
  return periods.length > 0 ? { periods } : {};
}

/** The `bullmq` probe type. Option `prefix`: BullMQ's `prefix` (default `bull`). */
export const bullmqProbe: ProbeType = {
  type: 'bullmq',
  usesRedis: true,
  options: ['prefix'],
  create(queue, options): QueueProbe {
    checkKnownOptions(queue, bullmqProbe, options);
    const keys = bullKeys(bullPrefixOption(queue, 'bullmq', options), queue);
    const wait = keys.state('wait');
    const paused = keys.state('paused');
    const failed = keys.state('failed');
    const scan = new FailureScan();
    const meta = keys.state('meta');
    const events = keys.state('events');
    const window = new EventsThroughput();
    const finished = new FinishedSample(keys, queue);
    return {
      queue,
      driver: 'bullmq',
      async read(context) {
        const redis = monitorRedis(context);
        const start = window.rangeStart(context.nowMs);
        const [
          waitLength,
          waitLast,
          waitBeforeLast,
          pausedLength,
          pausedLast,
          pausedBeforeLast,
          active,
          prioritized,
          delayed,
          completed,
          failedCount,
          waitingChildren,
          failedIds,
          failedNewest,
          pausedFlag,
          time,
          entries,
          info,
          metricsCompleted,
          metricsFailed,
        ] = await oneTrip(redis, (r) => [
          r.llen(wait),
          r.lindex(wait, -1),
          r.lindex(wait, -2),
          r.llen(paused),
          r.lindex(paused, -1),
          r.lindex(paused, -2),
          r.llen(keys.state('active')),
          r.zcard(keys.state('prioritized')),
          r.zcard(keys.state('delayed')),
          r.zcard(keys.state('completed')),
          r.zcard(failed),
          r.zcard(keys.state('waiting-children')),
          r.zrevrange(failed, 0, MAX_SCANNED_FAILURES - 1),
          r.zrevrangeWithScores(failed, 0, MAX_FAILED_SAMPLE - 1),
          r.hexists(meta, 'paused'),
          // In this order (see `EventsReplies`): `TIME` first, so every entry with an id before
          // it is in the `XRANGE` reply; `XINFO` last, so a trim before the read shows.
          softRead(r.time(events)),
          softRead(r.xrange(events, start, '+', MAX_EVENTS_PER_READ)),
          softRead(r.xinfoStream(events)),
          softRead(r.hmget(keys.state('metrics:completed'), 'count')),
          softRead(r.hmget(keys.state('metrics:failed'), 'count')),
          finished.start(r),
        ]);
        const flow = window.advance({
          start,
          entries,
          info,
          time,
          metrics: [firstOf(metricsCompleted), firstOf(metricsFailed)],
        });
        const waiting = line(waitLength, waitLast, waitBeforeLast);
        const pausedLine = line(pausedLength, pausedLast, pausedBeforeLast);
        // A BullMQ ≤ 5 queue paused with jobs keeps them in `paused`, its oldest at the tail.
        const oldest = waiting.oldest ?? pausedLine.oldest;

        const [details, periods] = await Promise.all([
          readJobDetails(
            redis,
            keys,
            { ids: failedIds, newest: failedNewest },
            oldest,
            context.nowMs,
            scan,
          ),
          finished.finish(redis, time),
        ]);
        return {
          size: {
            waiting: waiting.count,
            active: countOf(active),
            failed: countOf(failedCount),
            delayed: countOf(delayed),
            completed: countOf(completed),
            prioritized: countOf(prioritized),
            paused: pausedLine.count,
            waitingChildren: countOf(waitingChildren),
          },
          paused: pausedFlag === 1,
          ...(flow.kind === 'rates' ? { throughput: flow.throughput } : {}),
          ...periodsOf(window, periods),
          ...details,
        };
      },
    };
  },
};
