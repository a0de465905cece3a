/**
 * `horizon`: a Laravel `redis` queue run by Horizon. The queue's own keys are read as the
 * `laravel` probe reads them (`waiting`, `active`, `delayed`); Horizon adds, under its prefix,
 * app-wide indexes of job ids (zsets scored by minus the time, so rank 0 is the newest) and one
 * hash per job.
 *
 * Those indexes cover every queue of the app, and no key counts one queue's failures, so:
 * - `failedAllQueues` and `completedAllQueues` are the app-wide `ZCARD`s, as Horizon's
 *   dashboard shows them;
 * - `failed` and the failed sample are this queue's jobs among the app's 20 newest failures:
 *   exact while `failedAllQueues` ≤ 20, a lower bound beyond.
 *
 * Throughput is Horizon's own per-queue measurement since its last snapshot
 * (`./throughput.ts`), and the periods are its snapshots (`./snapshots.ts`).
 */
import type { FailedJobSample } from '../../../schema';
import { countOf, MAX_FAILED_SAMPLE } from '../../failed-sample';
import { monitorRedis } from '../../monitor-redis';
import { oneTrip } from '../../read-batch';
import { softRead } from '../../soft-read';
import { checkKnownOptions } from '../../probe-options';
import type { ProbeType, QueueProbe } from '../../types';
import { laravelOptions, laravelQueueKeys } from '../laravel/keys';
import { payloadAgeMs } from '../laravel/payload-time';
import { FAILED_JOB_FIELDS, failureOfQueue } from './failed-fields';
import { horizonKeys, horizonPrefixOption } from './keys';
import { HORIZON_SNAPSHOTS_READ, HorizonPeriodReader } from './snapshots';
import { horizonThroughput } from './throughput';

/**
 * This queue's entries of the failed sample. A hash Horizon already expired (all fields nil)
 * or one of another queue is left out.
 */
function failedOfQueue(
  queue: string,
  ids: readonly string[],
  hashes: readonly (readonly (string | null)[])[],
): FailedJobSample[] {
  const sample: FailedJobSample[] = [];
  ids.forEach((id, i) => {
    const failure = failureOfQueue(queue, id, hashes[i]);
    if (failure !== undefined) sample.push(failure);
  });
  return sample;
}

/**
 * The `horizon` probe type. Options: `redisPrefix`, `queueKeyPrefix` and `hashTags` as for
 * `laravel`, and `horizonPrefix` (Horizon's `prefix` setting, `laravel_horizon:` by default).
 */
export const horizonProbe: ProbeType = {
  type: 'horizon',
  usesRedis: true,
  options: ['redisPrefix', 'queueKeyPrefix', 'hashTags', 'horizonPrefix'],
  create(queue, options): QueueProbe {
    checkKnownOptions(queue, horizonProbe, options);
    const placement = laravelOptions(queue, 'horizon', options);
    const keys = laravelQueueKeys(placement, queue);
    const horizon = horizonKeys(horizonPrefixOption(queue, 'horizon', options), placement.hashTags);
    const snapshotReader = new HorizonPeriodReader();
    /** Unreadable snapshot members last seen, so a warning is logged once, not every beat. */
    let droppedBefore = 0;
    return {
      queue,
      driver: 'horizon',
      async read(context) {
        const redis = monitorRedis(context);
        const [
          waiting,
          reserved,
          delayed,
          head,
          failedAll,
          completedAll,
          failedIds,
          measured,
          lastSnapshotAt,
          snapshots,
        ] = await oneTrip(redis, (r) => [
          r.llen(keys.waiting),
          r.zcard(keys.reserved),
          r.zcard(keys.delayed),
          r.lindex(keys.waiting, 0),
          r.zcard(horizon.index('failed_jobs')),
          r.zcard(horizon.index('completed_jobs')),
          r.zrange(horizon.index('failed_jobs'), 0, MAX_FAILED_SAMPLE - 1),
          softRead(r.hmget(horizon.queueMetrics(queue), 'throughput', 'runtime')),
          softRead(r.get(horizon.lastSnapshotAt)),
          softRead(r.zrange(horizon.queueSnapshots(queue), -HORIZON_SNAPSHOTS_READ, -1)),
        ]);
        const hashes = await oneTrip(redis, (r) =>
          failedIds.map((id) => r.hmget(horizon.job(id), ...FAILED_JOB_FIELDS)),
        );
        const failedSample = failedOfQueue(queue, failedIds, hashes);
        const oldestWaitingAgeMs = payloadAgeMs(head, context.nowMs);
        const fields: readonly unknown[] = Array.isArray(measured)
          ? measured
          : [measured, measured];
        const [processed, runtime] = fields;
        const throughput = horizonThroughput(processed, runtime, lastSnapshotAt, context.nowMs);
        const { periods, dropped } = snapshotReader.read(snapshots);
        const warnings =
          dropped > droppedBefore
            ? [
                `${dropped} of the last ${HORIZON_SNAPSHOTS_READ} members of Horizon's ` +
                  `snapshot:queue:${queue} are not Horizon snapshots; dropped with their periods`,
              ]
            : [];
        droppedBefore = dropped;
        return {
          size: {
            waiting: countOf(waiting),
            active: countOf(reserved),
            failed: failedSample.length,
            delayed: countOf(delayed),
            failedAllQueues: countOf(failedAll),
            completedAllQueues: countOf(completedAll),
          },
          failedSample,
          ...(oldestWaitingAgeMs === undefined ? {} : { oldestWaitingAgeMs }),
          ...(throughput === undefined ? {} : { throughput }),
          ...(periods.length === 0 ? {} : { periods }),
          ...(warnings.length === 0 ? {} : { warnings }),
        };
      },
    };
  },
};
