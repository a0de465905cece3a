/**
 * The one rule every executor's script follows on a Redis Cluster: a script may only touch
 * keys of one hash slot. Keys of a queue share a slot only when they share a hash tag (`{…}`),
 * so an executor checks its keys before it sends anything, and refuses with the fix rather than
 * let Redis answer `CROSSSLOT`.
 */
import { CommandRejectedError } from '../../commands/executor';
import { crossSlotPair } from '../../redis/key-slot';
import { isClusterClient } from '../../redis/redis-client';
import type { RedisClient } from '../../redis/redis-client';

/**
 * Nothing on a single Redis. On a cluster, throws a `CommandRejectedError` naming two of
 * `keys` in different slots, and `fix` (how to give them one hash tag).
 */
export function requireOneSlot(redis: RedisClient, keys: readonly string[], fix: string): void {
  if (!isClusterClient(redis)) return;
  const pair = crossSlotPair(keys);
  if (!pair) return;
  throw new CommandRejectedError(
    `queue keys '${pair[0]}' and '${pair[1]}' hash to different Redis Cluster slots, which one script cannot span; ${fix}`,
  );
}
