/**
 * `laravel`: a queue of Laravel's `redis` driver, counted as `RedisQueue`'s own `pendingSize()`,
 * `reservedSize()` and `delayedSize()` count it:
 * - `waiting`: `LLEN queues:{q}`;
 * - `active`: `ZCARD queues:{q}:reserved` (jobs a worker has popped and not yet finished);
 * - `delayed`: `ZCARD queues:{q}:delayed` (delayed pushes, and jobs released for a retry);
 * - `failed`: always 0, because plain Laravel records failed jobs in a database table, not in
 *   Redis (use the `horizon` type when Horizon runs the queue).
 *
 * The `notify` list holds one token per pushed job for blocking pops; it is not a state.
 */
import { countOf } from '../../failed-sample';
import { monitorRedis } from '../../monitor-redis';
import { oneTrip } from '../../read-batch';
import { checkKnownOptions } from '../../probe-options';
import type { ProbeType, QueueProbe } from '../../types';
import { laravelOptions, laravelQueueKeys } from './keys';
import { payloadAgeMs } from './payload-time';

/**
 * The `laravel` probe type. Options: `redisPrefix` (the Redis connection's key prefix, `''` by
 * default), `queueKeyPrefix` (the base before the queue's name, `queues` by default; the Go
 * agent's `name:laravel:prefix` replaces it) and `hashTags` (true on a Redis Cluster connection
 * of Laravel ≥ 13).
 */
export const laravelProbe: ProbeType = {
  type: 'laravel',
  usesRedis: true,
  options: ['redisPrefix', 'queueKeyPrefix', 'hashTags'],
  create(queue, options): QueueProbe {
    checkKnownOptions(queue, laravelProbe, options);
    const keys = laravelQueueKeys(laravelOptions(queue, 'laravel', options), queue);
    return {
      queue,
      driver: 'laravel',
      async read(context) {
        const redis = monitorRedis(context);
        const [waiting, reserved, delayed, head] = await oneTrip(redis, (r) => [
          r.llen(keys.waiting),
          r.zcard(keys.reserved),
          r.zcard(keys.delayed),
          // Workers pop from the left, so the head is the oldest job still waiting.
          r.lindex(keys.waiting, 0),
        ]);
        const oldestWaitingAgeMs = payloadAgeMs(head, context.nowMs);
        return {
          size: {
            waiting: countOf(waiting),
            active: countOf(reserved),
            failed: 0,
            delayed: countOf(delayed),
          },
          ...(oldestWaitingAgeMs === undefined ? {} : { oldestWaitingAgeMs }),
        };
      },
    };
  },
};
