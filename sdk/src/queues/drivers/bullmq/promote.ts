/**
 * `promote` on a `bullmq` queue, through BullMQ's own `Job.promote()`: one Lua script that moves
 * the job from `delayed` to `wait` (or `prioritized`, or `paused`), adds the marker, resets its
 * delay and emits `waiting`; it refuses a job no longer delayed.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { promoteDelayed } from '../bull-family/delayed-jobs';
import type { DelayedJob } from '../bull-family/delayed-jobs';
import { withBullmqControl } from './control';

/** Promotes delayed BullMQ jobs. */
export const bullmqPromoteExecutor: CommandExecutor = {
  type: 'bullmq',
  verb: 'promote',
  execute: (context, target) =>
    withBullmqControl(context, target.queue, ({ queue, job }) =>
      promoteDelayed(
        {
          job,
          soonestDelayed: async (count) =>
            (await queue.getDelayed(0, count - 1, true)).filter(
              (j): j is DelayedJob => j !== undefined && j !== null,
            ),
        },
        target,
      ),
    ),
};
