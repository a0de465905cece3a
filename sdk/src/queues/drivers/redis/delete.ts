/**
 * `delete` on a plain `redis` list queue: the failed job leaves the list `{q}:failed`, matched
 * as `failed-elements.ts` describes.
 */
import { outcomeOf } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';
import { REMOVE_EACH_ONCE } from '../list-scripts';
import { listFailedElements, listRedis } from './failed-elements';
import { listKeys } from './keys';
import { refuseBulkGaps } from '../../../commands/bulk/unsupported';
import { REDIS_GAPS } from './bulk-gaps';

/** Deletes failed jobs of a plain list by exact match. */
export const listDeleteExecutor: CommandExecutor = {
  type: 'redis',
  verb: 'delete',
  async execute(context, target) {
    refuseBulkGaps(target, 'redis', REDIS_GAPS);
    const redis = listRedis(context);
    const elements = await listFailedElements(redis, target);
    if (elements.length === 0) return { affected: 0 };
    const failed = listKeys(target.queue).failed;
    const affected = Number(await redis.eval(REMOVE_EACH_ONCE, 1, failed, ...elements));
    return outcomeOf(target, affected);
  },
};
