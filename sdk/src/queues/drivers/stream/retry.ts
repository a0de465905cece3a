/**
 * `retry` on a `stream` queue, as Stream's own `RedisDriver.retryFailed()` does it, but
 * atomically and by exact id: the entry leaves `{prefix}{q}:failed` and the job is pushed again
 * through Stream's `push()` path with `attempts` 0 and without `error` and `failedAt`:
 * - the payload is `JSON.stringify` of `push()`'s fields in `push()`'s order (`id`, `type`,
 *   `data`, `className`, `createdAt`, `delaySeconds`, `attempts`, `maxAttempts`, `groupId`);
 *   other fields, `error` and `failedAt` among them, are dropped as `push()` drops them;
 * - it goes to the job's `priority` lane (or the base lane) with `LPUSH`; into that lane's
 *   `:delayed` zset if it has `delaySeconds`; and, for a job of a group, through the group
 *   FIFO (behind the group's running job if one runs, else the group becomes active).
 * Stream retries oldest first, so an `all-failed` retry pushes its jobs oldest first too; so
 * does a retry by failure group, batch after batch.
 */
import { outcomeOf } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';
import { requireOneSlot } from '../same-slot';
import {
  STREAM_SLOT_FIX,
  requireStreamSlot,
  streamContext,
  streamFailedEntries,
} from './failed-entries';
import type { StreamFailedEntry } from './failed-entries';
import type { StreamKeys } from './keys';
import type { RedisClient } from '../../../redis/redis-client';
import { isStreamBulk, runStreamBulk } from './bulk';

/** `push()`'s payload of a retried job. */
export function streamRetryPayload(job: Record<string, unknown>): string {
  return JSON.stringify({
    id: job.id,
    type: job.type,
    data: job.data,
    className: job.className,
    createdAt: job.createdAt,
    delaySeconds: job.delaySeconds,
    attempts: 0,
    maxAttempts: job.maxAttempts,
    groupId: job.groupId,
  });
}

/** Where `push()` sends a job, and the script arguments saying so. */
function destination(
  keys: StreamKeys,
  job: Record<string, unknown>,
  nowMs: number,
): { keys: string[]; mode: 'push' | 'delay' | 'group'; score: string; group: string } {
  const { priority, delaySeconds, groupId } = job;
  const lane = keys.lane(
    typeof priority === 'string' || typeof priority === 'number' ? String(priority) : undefined,
  );
  const group = typeof groupId === 'string' && groupId !== '' ? groupId : '';
  const delay = typeof delaySeconds === 'number' && delaySeconds > 0 ? delaySeconds : 0;
  return {
    keys: [lane, keys.delayed(lane), group ? keys.groupPending(group) : lane],
    mode: group ? 'group' : delay > 0 ? 'delay' : 'push',
    score: String(nowMs + delay * 1000),
    group,
  };
}

/**
 * KEYS: failed list, active groups, then per job its lane, the lane's delayed zset and its
 * group's pending list. ARGV per job: entry, payload, mode, score, group. A job is pushed
 * only if its entry was still there to remove.
 */
const RETRY = `local n = 0
for i = 0, #ARGV / 5 - 1 do
  local a, k = i * 5, 2 + i * 3
  local payload, mode = ARGV[a + 2], ARGV[a + 3]
  if redis.call('LREM', KEYS[1], 1, ARGV[a + 1]) == 1 then
    if mode == 'group' and redis.call('SISMEMBER', KEYS[2], ARGV[a + 5]) == 1 then
      redis.call('RPUSH', KEYS[k + 3], payload)
    elseif mode == 'group' then
      redis.call('SADD', KEYS[2], ARGV[a + 5])
      redis.call('LPUSH', KEYS[k + 1], payload)
    elseif mode == 'delay' then
      redis.call('ZADD', KEYS[k + 2], ARGV[a + 4], payload)
    else
      redis.call('LPUSH', KEYS[k + 1], payload)
    end
    n = n + 1
  end
end
return n`;

/**
 * Retries `entries` (given newest first, pushed oldest first) in one script; returns how many
 * were still in the failed list, and so moved.
 */
export async function retryStreamEntries(
  redis: RedisClient,
  keys: StreamKeys,
  entries: readonly StreamFailedEntry[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const nowMs = Date.now();
  const scriptKeys = [keys.failed, keys.activeGroups];
  const args: string[] = [];
  for (const { raw, job } of [...entries].reverse()) {
    const to = destination(keys, job, nowMs);
    scriptKeys.push(...to.keys);
    args.push(raw, streamRetryPayload(job), to.mode, to.score, to.group);
  }
  // A group's pending list carries the group id: under an untagged prefix it may sit elsewhere.
  requireOneSlot(redis, scriptKeys, STREAM_SLOT_FIX);
  return Number(await redis.eval(RETRY, scriptKeys.length, ...scriptKeys, ...args));
}

/** Retries failed Stream jobs by exact id, or by failure group (see `runStreamBulk`). */
export const streamRetryExecutor: CommandExecutor = {
  type: 'stream',
  verb: 'retry',
  async execute(context, target) {
    const { redis, keys } = streamContext(context, target.queue);
    requireStreamSlot(redis, keys);
    if (isStreamBulk(target)) {
      return runStreamBulk(redis, keys, target, 'retry', (entry) =>
        retryStreamEntries(redis, keys, [entry]),
      );
    }
    const entries = await streamFailedEntries(redis, keys, target);
    return outcomeOf(target, await retryStreamEntries(redis, keys, entries));
  },
};
