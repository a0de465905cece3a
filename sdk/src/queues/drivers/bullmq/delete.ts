/**
 * `delete` on a `bullmq` queue, through BullMQ's own `Job.remove()`: one Lua script that
 * removes the job's hash, logs and dependencies from every state, updates a parent that waits
 * on it, removes its children and emits the `removed` event; it refuses a locked job.
 *
 * `all-failed` removes the newest `maxJobs` failed jobs, newest first as `retry` does, one by
 * one rather than through `Queue.clean(0, maxJobs, 'failed')`: that one starts from the oldest,
 * and leaves a flow job's children behind where `remove()` removes them.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { applyToFailed } from '../bull-family/failed-jobs';
import { withBullmqJobs } from './queue';

/** Deletes failed BullMQ jobs. */
export const bullmqDeleteExecutor: CommandExecutor = {
  type: 'bullmq',
  verb: 'delete',
  execute: (context, target) =>
    withBullmqJobs(context, target.queue, (jobs) =>
      applyToFailed(jobs, target, 'delete', (job) => job.remove()),
    ),
};
