/**
 * `delete` on a legacy `bull` queue, through Bull's own `Job.remove()`: one Lua script that
 * removes the job's hash, logs and set entries, refusing a locked job. `all-failed` removes
 * the newest `maxJobs` failed jobs one by one, newest first as `retry` does.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { applyToFailed } from '../bull-family/failed-jobs';
import { withBullJobs } from './queue';

/** Deletes failed Bull jobs. */
export const bullDeleteExecutor: CommandExecutor = {
  type: 'bull',
  verb: 'delete',
  execute: (context, target) =>
    withBullJobs(context, target.queue, (jobs) =>
      applyToFailed(jobs, target, 'delete', (job) => job.remove()),
    ),
};
