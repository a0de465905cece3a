/**
 * The failed Horizon jobs a command targets. Horizon's `failed_jobs` index covers every queue
 * of the app, so a job counts only while its hash names the command's queue.
 */
import type { RedisClient } from '../../../redis/redis-client';
import { CommandRejectedError } from '../../../commands/executor';
import type { ExecutionContext, ExecutionTarget } from '../../../commands/executor';
import { isClusterClient } from '../../../redis/redis-client';
import { oneTrip } from '../../read-batch';
import { laravelOptions } from '../laravel/keys';
import type { LaravelOptions } from '../laravel/keys';
import { horizonKeys, horizonPrefixOption } from './keys';
import type { HorizonKeys } from './keys';

/** Failed ids read per round trip when looking for one queue's failures. */
const PAGE = 500;

/** A failed Horizon job of the target queue, as its hash holds it. */
export interface HorizonFailedJob {
  id: string;
  /** The payload that failed; null if Horizon's hash has expired. */
  payload: string | null;
  /** The queue connection's name (`redis`). */
  connection: string | null;
}

/** The monitor connection and Horizon's keys for a command on a `horizon` queue. */
export function horizonContext(
  context: ExecutionContext,
  queue: string,
): { redis: RedisClient; horizon: HorizonKeys; placement: LaravelOptions } {
  if (!context.redis) throw new Error('no monitor Redis connection');
  const placement = laravelOptions(queue, 'horizon', context.options);
  if (placement.hashTags || isClusterClient(context.redis)) {
    // Horizon's keys and the queue's sit in different hash slots, which one script cannot span.
    throw new CommandRejectedError(
      'remote control of Horizon on a Redis Cluster is not supported: use Horizon itself',
    );
  }
  const horizon = horizonKeys(horizonPrefixOption(queue, 'horizon', context.options), false);
  return { redis: context.redis, horizon, placement };
}

/**
 * The failed jobs a command targets: exactly `jobId`, or the newest `maxJobs` failures of this
 * queue (Horizon's `failed_jobs` is scored by minus the time, so rank 0 is the newest).
 * @throws CommandRejectedError when `jobId` is not a failed job of this queue.
 */
export async function horizonFailedJobs(
  redis: RedisClient,
  horizon: HorizonKeys,
  { queue, scope, jobId, maxJobs }: ExecutionTarget,
): Promise<HorizonFailedJob[]> {
  const index = horizon.index('failed_jobs');
  if (scope === 'job') {
    const id = jobId ?? '';
    const [score, [jobQueue, payload, connection]] = await Promise.all([
      redis.zscore(index, id),
      redis.hmget(horizon.job(id), 'queue', 'payload', 'connection'),
    ]);
    if (score === null) {
      throw new CommandRejectedError(`job ${id} is not among Horizon's failed jobs`);
    }
    if (jobQueue !== queue) {
      throw new CommandRejectedError(
        jobQueue === null
          ? `failed job ${id} has no record left in Horizon (expired)`
          : `failed job ${id} belongs to queue ${jobQueue}, not ${queue}`,
      );
    }
    return [{ id, payload: payload ?? null, connection: connection ?? null }];
  }
  const found: HorizonFailedJob[] = [];
  for (let start = 0; found.length < maxJobs; start += PAGE) {
    const ids = await redis.zrange(index, start, start + PAGE - 1);
    const hashes = await oneTrip(redis, (r) =>
      ids.map((id) => r.hmget(horizon.job(id), 'queue', 'payload', 'connection')),
    );
    ids.forEach((id, i) => {
      const [jobQueue, payload, connection] = hashes[i] ?? [];
      if (jobQueue === queue && found.length < maxJobs) {
        found.push({ id, payload: payload ?? null, connection: connection ?? null });
      }
    });
    if (ids.length < PAGE) break;
  }
  return found;
}
