/**
 * `retry` on a legacy `bull` queue, through Bull's own `Job.retry()`: one Lua script that moves
 * the job from `failed` to `wait`, publishes the `waiting` event and refuses a job no longer
 * failed. `all-failed` retries the newest `maxJobs` failed jobs one by one.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { applyToFailed } from '../bull-family/failed-jobs';
import { withBullJobs } from './queue';

/** Retries failed Bull jobs. */
export const bullRetryExecutor: CommandExecutor = {
  type: 'bull',
  verb: 'retry',
  execute: (context, target) =>
    withBullJobs(context, target.queue, (jobs) =>
      applyToFailed(jobs, target, 'retry', (job) => job.retry()),
    ),
};
