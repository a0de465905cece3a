/**
 * `promote` on a legacy `bull` queue, through Bull's own `Job.promote()`: one Lua script that
 * moves the job from `delayed` to `wait` (or `paused`, or by priority), resets its delay and
 * publishes `waiting`; it refuses a job no longer delayed.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { promoteDelayed } from '../bull-family/delayed-jobs';
import type { DelayedJob } from '../bull-family/delayed-jobs';
import { withBullControl } from './control';

/** Promotes delayed Bull jobs. */
export const bullPromoteExecutor: CommandExecutor = {
  type: 'bull',
  verb: 'promote',
  execute: (context, target) =>
    withBullControl(context, target.queue, (queue) =>
      promoteDelayed(
        {
          job: async (id) => (await queue.getJob(id)) ?? undefined,
          soonestDelayed: async (count) =>
            (await queue.getDelayed(0, count - 1)).filter((j): j is DelayedJob => j !== null),
        },
        target,
      ),
    ),
};
