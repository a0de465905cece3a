/**
 * `pause` on a `stream` queue, as Gravito Stream's own dashboard (Zenith's `pauseQueue` /
 * `resumeQueue`) does it: `SET {lane}:paused 1` to pause, `DEL {lane}:paused` to resume, the
 * flag Stream's `RedisDriver.pop()` checks before it pops a lane. No TTL: a pause lasts until a
 * resume, as Zenith's does.
 *
 * Stream pauses per lane, and Zenith only the base lane; here every lane the probe counts is
 * paused (and resumed) together, so that workers stop taking *any* job of the queue, which is
 * what an operator pausing the queue means. One thing Stream does not stop: its `pop()` hands
 * out a delayed job that has come due before it looks at the flag, so due delayed jobs still
 * run on a paused queue.
 *
 * A queue counts as paused when every lane is; the script checks and writes in one step.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { ALREADY_PAUSED, NOT_PAUSED, pausing } from '../queue-state';
import { streamLanes } from './lanes';

/**
 * KEYS: each lane's pause flag. ARGV[1]: `1` to pause, `0` to resume. Returns 0 when every flag
 * already was as asked (nothing written), else 1.
 */
const SET_PAUSED = `local pause = ARGV[1] == '1'
local all = true
for i = 1, #KEYS do
  if (redis.call('GET', KEYS[i]) == '1') ~= pause then all = false end
end
if all then return 0 end
for i = 1, #KEYS do
  if pause then redis.call('SET', KEYS[i], '1') else redis.call('DEL', KEYS[i]) end
end
return 1`;

/** Pauses or resumes every lane of a Stream queue. */
export const streamPauseExecutor: CommandExecutor = {
  type: 'stream',
  verb: 'pause',
  async execute(context, target) {
    const pause = pausing(target);
    const { redis, keys, lanes } = streamLanes(context, target.queue);
    const flags = lanes.map((lane) => keys.paused(lane));
    const changed = Number(await redis.eval(SET_PAUSED, flags.length, ...flags, pause ? '1' : '0'));
    if (changed === 1) return { affected: 1 };
    return { affected: 0, skipped: [{ reason: pause ? ALREADY_PAUSED : NOT_PAUSED, count: 1 }] };
  },
};
