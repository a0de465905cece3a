/**
 * `redis`: a plain Redis list whose key is the queue's name, read as the Go agent reads it:
 * - `waiting`: `LLEN {q}`;
 * - `active`, `failed` and `delayed`: the size of `{q}:active`, `{q}:failed` and `{q}:delayed`.
 *   The Go agent takes their `LLEN`; a queue that keeps one of them as a sorted set (a delayed
 *   set scored by due time, most often) would read 0 there, so the probe sends `LLEN` and
 *   `ZCARD` for each and counts the one that did not fail: a list's length, a sorted set's
 *   size, 0 for a missing key or one of any other type.
 *
 * Everything goes in one pipeline of seven O(1) reads. There is no failed sample and no
 * `oldestWaitingAgeMs`: a bare list records neither failures' reasons nor push times.
 */
import { countOf } from '../../failed-sample';
import { monitorRedis } from '../../monitor-redis';
import { checkKnownOptions } from '../../probe-options';
import { oneTrip } from '../../read-batch';
import type { ReadCommands } from '../../read-batch';
import type { ProbeType, QueueProbe } from '../../types';
import { listKeys } from './keys';

/** A reply, or undefined when Redis answered with an error (`WRONGTYPE`). */
const orUndefined = (reply: Promise<number>): Promise<number | undefined> =>
  reply.then(
    (n) => n,
    () => undefined,
  );

/**
 * The size of `key`, a list or a sorted set: its `LLEN` and `ZCARD`, queued together, of which
 * at most one fails.
 */
async function sizeOf(r: ReadCommands, key: string): Promise<number> {
  const [length, cardinality] = await Promise.all([
    orUndefined(r.llen(key)),
    orUndefined(r.zcard(key)),
  ]);
  return countOf(length ?? cardinality);
}

export const redisListProbe: ProbeType = {
  type: 'redis',
  usesRedis: true,
  options: [],
  create(queue, options): QueueProbe {
    checkKnownOptions(queue, this, options);
    const keys = listKeys(queue);
    return {
      queue,
      driver: 'redis',
      async read(context) {
        const [waiting, active, failed, delayed] = await oneTrip(monitorRedis(context), (r) => [
          r.llen(keys.waiting),
          sizeOf(r, keys.active),
          sizeOf(r, keys.failed),
          sizeOf(r, keys.delayed),
        ]);
        return { size: { waiting: countOf(waiting), active, failed, delayed } };
      },
    };
  },
};
