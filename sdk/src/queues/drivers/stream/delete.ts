/**
 * `delete` on a `stream` queue: the failed job's entry leaves `{prefix}{q}:failed`, removed by
 * its exact text (`LREM … 1`) after it was found by its exact `id`, in one script. A delete
 * by failure group removes each selected entry the same way (see `runStreamBulk`).
 */
import { outcomeOf } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';
import { REMOVE_EACH_ONCE } from '../list-scripts';
import { streamContext, streamFailedEntries } from './failed-entries';
import { isStreamBulk, runStreamBulk } from './bulk';

/** Deletes failed Stream jobs by exact id, or by failure group (see `runStreamBulk`). */
export const streamDeleteExecutor: CommandExecutor = {
  type: 'stream',
  verb: 'delete',
  async execute(context, target) {
    const { redis, keys } = streamContext(context, target.queue);
    if (isStreamBulk(target)) {
      return runStreamBulk(redis, keys, target, 'delete', async ({ raw }) =>
        Number(await redis.eval(REMOVE_EACH_ONCE, 1, keys.failed, raw)),
      );
    }
    const entries = await streamFailedEntries(redis, keys, target);
    if (entries.length === 0) return { affected: 0 };
    const raws = entries.map((entry) => entry.raw);
    const affected = Number(await redis.eval(REMOVE_EACH_ONCE, 1, keys.failed, ...raws));
    return outcomeOf(target, affected);
  },
};
