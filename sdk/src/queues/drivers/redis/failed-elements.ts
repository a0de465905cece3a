/**
 * Which failed elements of a plain `redis` list a command targets. A plain list's elements are
 * opaque, so a job is found by exact equality, never by substring: an element matches `jobId`
 * when it is exactly `jobId`, or when it is a JSON object whose `id` (a string, or a number
 * written as `jobId`) is exactly `jobId`. Failures are taken to be pushed on the left, as
 * Stream and most list queues push them, so the newest come first.
 */
import type { Redis } from 'ioredis';
import { CommandRejectedError } from '../../../commands/executor';
import type { ExecutionContext, ExecutionTarget } from '../../../commands/executor';
import { listKeys } from './keys';

/** The monitor connection, for a command on a `redis` queue. */
export function listRedis(context: ExecutionContext): Redis {
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

/**
 * The failed elements a command targets among the newest `maxJobs`: the newest that is
 * `jobId`, or all of them.
 * @throws CommandRejectedError when none is `jobId`.
 */
export async function listFailedElements(
  redis: Redis,
  { queue, scope, jobId, maxJobs }: ExecutionTarget,
): Promise<string[]> {
  const raws = await redis.lrange(listKeys(queue).failed, 0, maxJobs - 1);
  if (scope === 'all-failed') return raws;
  const match = raws.find((raw) => isJob(raw, jobId ?? ''));
  if (match === undefined) {
    throw new CommandRejectedError(`job ${jobId ?? ''} is not among the failed jobs`);
  }
  return [match];
}
