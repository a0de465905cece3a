/**
 * The failed jobs of a BullMQ or Bull queue as a bulk command reads them: the failed sorted set
 * newest first (`ZREVRANGE`, scored by `finishedOn`) and each job's failure from its hash,
 * fields read exactly as the probe reads them, so a job's failure group key is the probe's.
 */
import type { RedisClient } from '../../../redis/redis-client';
import type { FailedSet } from '../../../commands/bulk/failed-selection';
import type { FailedNow } from '../../../commands/bulk/run-bulk';
import { oneTrip } from '../../read-batch';
import { FAILED_HASH_FIELDS, failureFromHash } from './failed-hash';
import type { BullKeys } from './keys';

/** The failed set of the queue whose keys are `keys`. */
export function bullFailedSet(redis: RedisClient, keys: BullKeys): FailedSet {
  const failed = keys.state('failed');
  return {
    size: () => redis.zcard(failed),
    ids: (start, count) => redis.zrevrange(failed, start, start + count - 1),
    async failures(ids) {
      const replies = await oneTrip(redis, (r) => [
        Promise.all(ids.map((id) => r.hmget(keys.job(id), ...FAILED_HASH_FIELDS))),
      ]);
      return ids.map((id, i) => failureFromHash(id, replies[0][i]));
    },
  };
}

/** Whether each of `ids` is still failed, and its failure now, in one round trip. */
export async function checkFailed(
  redis: RedisClient,
  keys: BullKeys,
  ids: readonly string[],
): Promise<FailedNow[]> {
  const failed = keys.state('failed');
  const [scores, fields] = await oneTrip(redis, (r) => [
    Promise.all(ids.map((id) => r.zscore(failed, id))),
    Promise.all(ids.map((id) => r.hmget(keys.job(id), ...FAILED_HASH_FIELDS))),
  ]);
  return ids.map((id, i) => {
    const failure = failureFromHash(id, fields[i]);
    return { failed: scores[i] !== null, ...(failure === undefined ? {} : { failure }) };
  });
}
