/**
 * Which failed elements of a plain `redis` list a command targets. A plain list's elements are
 * opaque, so a job is found by exact equality, never by substring: an element matches `jobId`
 * when it is exactly `jobId`, or when it is a JSON object whose `id` (a string, or a number
 * written as `jobId`) is exactly `jobId`. Failures are taken to be pushed on the left, as
 * Stream and most list queues push them, so the newest come first.
 *
 * Only a list of failed jobs can be acted on. The probe also counts a `{q}:failed` kept as a
 * sorted set, but its members carry no order or shape the executors could rely on (a score may
 * be a time or a priority, a member a job or an id), so a command on one is rejected, and
 * nothing moves.
 */
import type { RedisClient } from '../../../redis/redis-client';
import { CommandRejectedError } from '../../../commands/executor';
import type { ExecutionContext, ExecutionTarget } from '../../../commands/executor';
import { listKeys } from './keys';

/** The monitor connection, for a command on a `redis` queue. */
export function listRedis(context: ExecutionContext): RedisClient {
  if (!context.redis) throw new Error('no monitor Redis connection');
  return context.redis;
}

/** Whether the element `raw` is the job `jobId`. */
export function isJob(raw: string, jobId: string): boolean {
  if (raw === jobId) return true;
  try {
    const job: unknown = JSON.parse(raw);
    if (typeof job !== 'object' || job === null || Array.isArray(job)) return false;
    const { id } = job as { id?: unknown };
    return id === jobId || (typeof id === 'number' && String(id) === jobId);
  } catch {
    return false;
  }
}

/** Whether Redis refused a command because the key holds another type. */
const isWrongType = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith('WRONGTYPE');

/**
 * The failed elements a command targets among the newest `maxJobs`: the newest that is
 * `jobId`, or all of them.
 * @throws CommandRejectedError when none is `jobId`, or when `{q}:failed` is not a list.
 */
export async function listFailedElements(
  redis: RedisClient,
  { queue, scope, jobId, maxJobs }: ExecutionTarget,
): Promise<string[]> {
  const failed = listKeys(queue).failed;
  let raws: string[];
  try {
    raws = await redis.lrange(failed, 0, maxJobs - 1);
  } catch (error) {
    if (!isWrongType(error)) throw error;
    throw new CommandRejectedError(
      `${failed} is not a list (Redis: WRONGTYPE): remote control of a redis queue retries and ` +
        'deletes failed jobs kept in a list only',
    );
  }
  if (scope === 'all-failed') return raws;
  const match = raws.find((raw) => isJob(raw, jobId ?? ''));
  if (match === undefined) {
    throw new CommandRejectedError(`job ${jobId ?? ''} is not among the failed jobs`);
  }
  return [match];
}
