/**
 * `delete` on a `stream` queue: the failed job's entry leaves `{prefix}{q}:failed`, removed by
 * its exact text (`LREM … 1`) after it was found by its exact `id`, in one script.
 */
import { outcomeOf } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';
import { REMOVE_EACH_ONCE } from '../list-scripts';
import { streamContext, streamFailedEntries } from './failed-entries';
import { refuseBulkGaps } from '../../../commands/bulk/unsupported';
import { STREAM_GAPS } from './bulk-gaps';

/** Deletes failed Stream jobs by exact id. */
export const streamDeleteExecutor: CommandExecutor = {
  type: 'stream',
  verb: 'delete',
  async execute(context, target) {
    refuseBulkGaps(target, 'stream', STREAM_GAPS);
    const { redis, keys } = streamContext(context, target.queue);
    const entries = await streamFailedEntries(redis, keys, target);
    if (entries.length === 0) return { affected: 0 };
    const raws = entries.map((entry) => entry.raw);
    const affected = Number(await redis.eval(REMOVE_EACH_ONCE, 1, keys.failed, ...raws));
    return outcomeOf(target, affected);
  },
};
