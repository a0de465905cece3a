/**
 * `delete` on a plain `redis` list queue: the failed job leaves the list `{q}:failed`.
 *
 * A plain list's elements are opaque, so a job is found by exact equality, never by substring:
 * an element matches `jobId` when it is exactly `jobId`, or when it is a JSON object whose `id`
 * (a string, or a number written as `jobId`) is exactly `jobId`. Failures are taken to be
 * pushed on the left, as Stream and most list queues push them, so the newest come first.
 */
import type { Redis } from 'ioredis';
import { REMOVE_EACH_ONCE } from './list-scripts';
import { CommandRejectedError, outcomeOf } from './types';
import type { CommandExecutor, ExecutionContext, ExecutionTarget } from './types';

/** The keys of a plain list queue: the list itself, named as the queue, and its failures. */
export function listKeys(queue: string): { waiting: string; failed: string } {
  return { waiting: queue, failed: `${queue}:failed` };
}

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

/** Deletes failed jobs of a plain list by exact match. */
export const listDeleteExecutor: CommandExecutor = {
  type: 'redis',
  verb: 'delete',
  async execute(context, target) {
    const redis = listRedis(context);
    const elements = await listFailedElements(redis, target);
    if (elements.length === 0) return { affected: 0 };
    const failed = listKeys(target.queue).failed;
    const affected = Number(await redis.eval(REMOVE_EACH_ONCE, 1, failed, ...elements));
    return outcomeOf(target, affected);
  },
};
