/**
 * `delete` on a `laravel` or `horizon` queue.
 *
 * Plain Laravel records failed jobs in its database (`failed_jobs` table), never in Redis, so
 * there is nothing to delete there: the command is rejected. Horizon keeps them in Redis, and
 * its "forget failed job" (`RedisJobRepository::deleteFailed()`) is `ZREM failed_jobs {id}`,
 * then, if that removed it, `DEL {id}` (the job's hash). This executor does the same in one
 * script, for failed jobs of this queue only: Horizon's index covers every queue of the app.
 */
import type { Redis } from 'ioredis';
import { oneTrip } from '../../queues/read-batch';
import { horizonKeys, horizonPrefixOption, laravelOptions } from '../../queues/probes/laravel-keys';
import type { HorizonKeys } from '../../queues/probes/laravel-keys';
import { CommandRejectedError, outcomeOf } from './types';
import type { CommandExecutor, ExecutionContext, ExecutionTarget } from './types';

/** Why plain Laravel cannot retry or delete a failed job from Redis. */
export const PLAIN_LARAVEL_REASON =
  'plain Laravel keeps failed jobs in its database; run php artisan queue:retry or queue:forget';

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
): { redis: Redis; horizon: HorizonKeys; redisPrefix: string } {
  if (!context.redis) throw new Error('no monitor Redis connection');
  const { redisPrefix, hashTags } = laravelOptions(queue, 'horizon', context.options);
  if (hashTags) {
    // Horizon's keys and the queue's sit in different hash slots, which one script cannot span.
    throw new CommandRejectedError(
      'remote control of Horizon on a Redis Cluster is not supported: use Horizon itself',
    );
  }
  const horizon = horizonKeys(horizonPrefixOption(queue, 'horizon', context.options), false);
  return { redis: context.redis, horizon, redisPrefix };
}

/**
 * The failed jobs a command targets: exactly `jobId`, or the newest `maxJobs` failures of this
 * queue (Horizon's `failed_jobs` is scored by minus the time, so rank 0 is the newest).
 * @throws CommandRejectedError when `jobId` is not a failed job of this queue.
 */
export async function horizonFailedJobs(
  redis: Redis,
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

/** `deleteFailed()` per job, only while the hash still names this queue. */
const DELETE_FAILED = `local n = 0
for i = 2, #ARGV do
  local hash = KEYS[i]
  if redis.call('HGET', hash, 'queue') == ARGV[1] and redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    redis.call('DEL', hash)
    n = n + 1
  end
end
return n`;

/** Rejects: plain Laravel's failed jobs are in SQL. */
export const laravelDeleteExecutor: CommandExecutor = {
  type: 'laravel',
  verb: 'delete',
  execute() {
    return Promise.reject(new CommandRejectedError(PLAIN_LARAVEL_REASON));
  },
};

/** Forgets failed Horizon jobs as Horizon's dashboard does. */
export const horizonDeleteExecutor: CommandExecutor = {
  type: 'horizon',
  verb: 'delete',
  async execute(context, target) {
    const { redis, horizon } = horizonContext(context, target.queue);
    const jobs = await horizonFailedJobs(redis, horizon, target);
    if (jobs.length === 0) return { affected: 0 };
    const keys = [horizon.index('failed_jobs'), ...jobs.map((job) => horizon.job(job.id))];
    const args = [target.queue, ...jobs.map((job) => job.id)];
    const affected = Number(await redis.eval(DELETE_FAILED, keys.length, ...keys, ...args));
    return outcomeOf(target, affected);
  },
};
