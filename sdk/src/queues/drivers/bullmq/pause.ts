/**
 * `pause` on a `bullmq` queue, through BullMQ's own `Queue.pause()` / `Queue.resume()`: one Lua
 * script that sets (or clears) `paused` in the queue's meta hash, removes (or restores) the
 * marker workers block on, and emits the `paused` (`resumed`) event. Workers on every node stop
 * fetching; jobs in progress finish. Jobs added meanwhile wait until the resume.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { setPaused } from '../queue-state';
import { withBullmqControl } from './control';

/** Pauses or resumes a BullMQ queue. */
export const bullmqPauseExecutor: CommandExecutor = {
  type: 'bullmq',
  verb: 'pause',
  execute: (context, target) =>
    withBullmqControl(context, target.queue, ({ queue }) =>
      setPaused(
        target,
        () => queue.isPaused(),
        (pause) => (pause ? queue.pause() : queue.resume()),
      ),
    ),
};
