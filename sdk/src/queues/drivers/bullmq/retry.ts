/**
 * `retry` on a `bullmq` queue, through BullMQ's own `Job.retry('failed')`: one Lua script that
 * moves the job from `failed` to `wait` (or `prioritized`, or `paused`), clears its failure,
 * adds the wait marker workers block on and emits the `waiting` event, and that refuses a job
 * no longer failed.
 *
 * `all-failed` retries the newest `maxJobs` failed jobs one by one rather than through
 * `Queue.retryJobs()`: its `count` is a batch size, and it loops until every failed job has
 * moved, so it could not honour the command's bound.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { applyToFailed } from '../bull-family/failed-jobs';
import { withBullmqJobs } from './queue';

/** Retries failed BullMQ jobs. */
export const bullmqRetryExecutor: CommandExecutor = {
  type: 'bullmq',
  verb: 'retry',
  execute: (context, target) =>
    withBullmqJobs(context, target.queue, (jobs) =>
      applyToFailed(jobs, target, 'retry', (job) => job.retry('failed')),
    ),
};
