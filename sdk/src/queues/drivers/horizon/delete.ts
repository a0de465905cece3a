/**
 * `delete` on a `horizon` queue: Horizon's "forget failed job"
 * (`RedisJobRepository::deleteFailed()`) is `ZREM failed_jobs {id}`, then, if that removed it,
 * `DEL {id}` (the job's hash). This executor does the same in one script, for failed jobs of
 * this queue only: Horizon's index covers every queue of the app.
 */
import { outcomeOf } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';
import { horizonContext, horizonFailedJobs } from './failed-jobs';
import { runHorizonBulk } from './bulk';

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

/** Forgets failed Horizon jobs as Horizon's dashboard does. */
export const horizonDeleteExecutor: CommandExecutor = {
  type: 'horizon',
  verb: 'delete',
  async execute(context, target) {
    if (target.scope === 'all-failed') {
      return runHorizonBulk(context, target, 'delete', (jobId) =>
        horizonDeleteExecutor.execute(context, { ...target, scope: 'job', jobId }),
      );
    }
    const { redis, horizon } = horizonContext(context, target.queue);
    const jobs = await horizonFailedJobs(redis, horizon, target);
    if (jobs.length === 0) return { affected: 0 };
    const keys = [horizon.index('failed_jobs'), ...jobs.map((job) => horizon.job(job.id))];
    const args = [target.queue, ...jobs.map((job) => job.id)];
    const affected = Number(await redis.eval(DELETE_FAILED, keys.length, ...keys, ...args));
    return outcomeOf(target, affected);
  },
};
