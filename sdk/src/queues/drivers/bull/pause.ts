/**
 * `pause` on a legacy `bull` queue, through Bull's own global `Queue.pause()` /
 * `Queue.resume()`: one Lua script that renames `wait` to `paused` (and back), sets (clears)
 * `meta-paused` and BullMQ's `meta.paused`, and publishes the event. Workers on every node stop
 * fetching; jobs in progress finish.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { setPaused } from '../queue-state';
import { withBullControl } from './control';

/** Pauses or resumes a Bull queue, globally. */
export const bullPauseExecutor: CommandExecutor = {
  type: 'bull',
  verb: 'pause',
  execute: (context, target) =>
    withBullControl(context, target.queue, (queue) =>
      setPaused(
        target,
        () => queue.isPaused(false),
        (pause) => (pause ? queue.pause(false) : queue.resume(false)),
      ),
    ),
};
