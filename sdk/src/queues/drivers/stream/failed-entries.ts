/**
 * The entries of a Stream queue's failed list a command targets, found by their job's exact
 * `id`; entries that are not JSON jobs with an id are left alone.
 */
import type { RedisClient } from '../../../redis/redis-client';
import { CommandRejectedError } from '../../../commands/executor';
import type { ExecutionContext, ExecutionTarget } from '../../../commands/executor';
import { requireOneSlot } from '../same-slot';
import { streamKeys, streamPrefixOption } from './keys';
import type { StreamKeys } from './keys';

/** One entry of the failed list, as stored and as parsed. */
export interface StreamFailedEntry {
  /** The entry's exact text, to remove it by value. */
  raw: string;
  /** The parsed job. */
  job: Record<string, unknown>;
}

/** The monitor connection and the queue's keys for a command on a `stream` queue. */
export function streamContext(
  context: ExecutionContext,
  queue: string,
): { redis: RedisClient; keys: StreamKeys } {
  if (!context.redis) throw new Error('no monitor Redis connection');
  return {
    redis: context.redis,
    keys: streamKeys(streamPrefixOption(queue, context.options), queue),
  };
}

/** How a Stream queue's keys come to share one Redis Cluster slot. */
export const STREAM_SLOT_FIX =
  "use a hash tag in Stream's key prefix, such as '{queue}:', so that every key of the queue shares one slot";

/** Refuses, on a cluster, a Stream queue whose keys do not share one slot. */
export function requireStreamSlot(redis: RedisClient, keys: StreamKeys): void {
  requireOneSlot(redis, [keys.failed, keys.base, keys.activeGroups], STREAM_SLOT_FIX);
}

/** A failed entry as a job object with a string id, or undefined. */
export function parsedStreamJob(raw: string): Record<string, unknown> | undefined {
  try {
    const job: unknown = JSON.parse(raw);
    const ok = typeof job === 'object' && job !== null && !Array.isArray(job);
    return ok && typeof (job as { id?: unknown }).id === 'string'
      ? (job as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entries a command targets among the newest `maxJobs` of the failed list (newest first):
 * the newest whose `id` equals `jobId` exactly, or all of them. Entries that are not JSON jobs
 * with an id are left alone.
 * @throws CommandRejectedError when no entry has the id `jobId`.
 */
export async function streamFailedEntries(
  redis: RedisClient,
  keys: StreamKeys,
  { scope, jobId, maxJobs }: ExecutionTarget,
): Promise<StreamFailedEntry[]> {
  const entries: StreamFailedEntry[] = [];
  for (const raw of await redis.lrange(keys.failed, 0, maxJobs - 1)) {
    const job = parsedStreamJob(raw);
    if (job && (scope === 'all-failed' || job.id === jobId)) entries.push({ raw, job });
  }
  if (scope === 'job') {
    if (entries.length === 0) {
      throw new CommandRejectedError(`job ${jobId ?? ''} is not among the failed jobs`);
    }
    return entries.slice(0, 1);
  }
  return entries;
}
