/**
 * `retry` on a plain `redis` list queue: the failed element moves, unchanged, from `{q}:failed`
 * back onto `{q}` in one script. A plain list's elements are opaque, so nothing in them is
 * reset; the job is matched as `delete` matches it (see `failed-elements.ts`). It is `LPUSH`ed,
 * the end producers push on when workers pop the right (as in Stream): with workers popping the
 * left instead, it runs next rather than last. `all-failed` pushes the oldest first.
 */
import { outcomeOf } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';
import { listFailedElements, listRedis } from './failed-elements';
import { requireOneSlot } from '../same-slot';
import { listKeys } from './keys';
import { refuseBulkGaps } from '../../../commands/bulk/unsupported';
import { REDIS_GAPS } from './bulk-gaps';

/** KEYS: failed list, queue. Moves each element once, if it is still failed. */
const MOVE = `local n = 0
for i = 1, #ARGV do
  if redis.call('LREM', KEYS[1], 1, ARGV[i]) == 1 then
    redis.call('LPUSH', KEYS[2], ARGV[i])
    n = n + 1
  end
end
return n`;

/** Retries failed jobs of a plain list by exact match. */
export const listRetryExecutor: CommandExecutor = {
  type: 'redis',
  verb: 'retry',
  async execute(context, target) {
    refuseBulkGaps(target, 'redis', REDIS_GAPS);
    const redis = listRedis(context);
    const { failed, waiting } = listKeys(target.queue);
    requireOneSlot(
      redis,
      [failed, waiting],
      `use a hash tag such as '{${target.queue}}' as the queue name, so that its keys share one slot`,
    );
    const elements = await listFailedElements(redis, target);
    if (elements.length === 0) return { affected: 0 };
    const oldestFirst = [...elements].reverse();
    const affected = Number(await redis.eval(MOVE, 2, failed, waiting, ...oldestFirst));
    return outcomeOf(target, affected);
  },
};
