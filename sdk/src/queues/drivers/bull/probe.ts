/**
 * `bull`: a legacy Bull (v3/v4) queue. Counts match `Queue#getJobCounts()` state for state:
 * - lists `wait` (prioritised jobs included; the `priority` zset only orders them) and
 *   `active`;
 * - list `paused`: while the `meta-paused` key exists the queue is paused (`paused: true`, as
 *   `Queue#isPaused()` reads it), its waiting jobs were renamed from `wait` to `paused` and new
 *   ones are added there;
 * - zsets `delayed`, `failed` and `completed`.
 *
 * Jobs are `LPUSH`ed and taken from the right end, so the tail of `wait` (or `paused`) is the
 * oldest job. Prioritised jobs, though, are inserted in priority order near that end, ahead of
 * older ones; while any wait (`priority` is not empty), the oldest job cannot be found in O(1),
 * and no age is reported.
 */
import { countOf, MAX_FAILED_SAMPLE } from '../../failed-sample';
import { FailureScan, MAX_SCANNED_FAILURES } from '../../failures/failure-scan';
import { monitorRedis } from '../../monitor-redis';
import { oneTrip } from '../../read-batch';
import { checkKnownOptions } from '../../probe-options';
import type { ProbeType, QueueProbe } from '../../types';
import { readJobDetails } from '../bull-family/job-details';
import { bullKeys, bullPrefixOption } from '../bull-family/keys';

/** The `bull` probe type. Option `prefix`: Bull's `prefix` (default `bull`). */
export const bullProbe: ProbeType = {
  type: 'bull',
  usesRedis: true,
  options: ['prefix'],
  create(queue, options): QueueProbe {
    checkKnownOptions(queue, bullProbe, options);
    const keys = bullKeys(bullPrefixOption(queue, 'bull', options), queue);
    const wait = keys.state('wait');
    const paused = keys.state('paused');
    const failed = keys.state('failed');
    const scan = new FailureScan();
    return {
      queue,
      driver: 'bull',
      async read(context) {
        const redis = monitorRedis(context);
        const [
          waiting,
          waitLast,
          pausedCount,
          pausedLast,
          active,
          delayed,
          completed,
          failedCount,
          failedIds,
          failedNewest,
          prioritised,
          pausedFlag,
        ] = await oneTrip(redis, (r) => [
          r.llen(wait),
          r.lindex(wait, -1),
          r.llen(paused),
          r.lindex(paused, -1),
          r.llen(keys.state('active')),
          r.zcard(keys.state('delayed')),
          r.zcard(keys.state('completed')),
          r.zcard(failed),
          r.zrevrange(failed, 0, MAX_SCANNED_FAILURES - 1),
          r.zrevrangeWithScores(failed, 0, MAX_FAILED_SAMPLE - 1),
          r.zcard(keys.state('priority')),
          r.exists(keys.state('meta-paused')),
        ]);
        const tail = waitLast ?? pausedLast ?? undefined;
        const oldest = countOf(prioritised) > 0 ? undefined : tail;

        const details = await readJobDetails(
          redis,
          keys,
          { ids: failedIds, newest: failedNewest },
          oldest,
          context.nowMs,
          scan,
        );
        return {
          size: {
            waiting: countOf(waiting),
            active: countOf(active),
            failed: countOf(failedCount),
            delayed: countOf(delayed),
            completed: countOf(completed),
            paused: countOf(pausedCount),
          },
          paused: pausedFlag === 1,
          ...details,
        };
      },
    };
  },
};
