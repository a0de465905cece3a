/**
 * The lanes of a Stream queue a command acts on: the base list and one list per priority, the
 * same lanes the probe counts (its `priorities` option).
 */
import type { ExecutionContext } from '../../../commands/executor';
import type { RedisClient } from '../../../redis/redis-client';
import { requireOneSlot } from '../same-slot';
import { STREAM_SLOT_FIX, streamContext } from './failed-entries';
import type { StreamKeys } from './keys';
import { prioritiesOption } from './probe';

/** The monitor connection, the queue's keys and its lanes, base lane first. */
export function streamLanes(
  context: ExecutionContext,
  queue: string,
): { redis: RedisClient; keys: StreamKeys; lanes: string[] } {
  const { redis, keys } = streamContext(context, queue);
  const lanes = [keys.base, ...prioritiesOption(queue, context.options).map((p) => keys.lane(p))];
  // Every lane's keys go into one script.
  requireOneSlot(
    redis,
    lanes.flatMap((lane) => [lane, keys.delayed(lane), keys.paused(lane)]),
    STREAM_SLOT_FIX,
  );
  return { redis, keys, lanes };
}
