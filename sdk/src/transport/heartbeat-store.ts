/**
 * Writes and removes a node's heartbeat and its entry in the node index. The commands go out
 * back to back, without waiting in between: one round trip, no MULTI (which would cost more CPU
 * per beat). In the v2 layout every key here shares the service's hash slot, so on a Redis
 * Cluster one node takes the whole beat.
 */
import type { RedisClient } from '../redis/redis-client';
import type { QueueSnapshot } from '../schema';

/** One beat's writes. */
export interface BeatWrite {
  /** The heartbeat key. */
  key: string;
  /** The node index the heartbeat key goes into (fleet-wide in v1, the service's own in v2). */
  indexKey: string;
  json: string;
  ttlSeconds: number;
  timestampMs: number;
  /** The service's queue hash. */
  queuesKey: string;
  /** This node's queue snapshots, one hash field each (field = queue name). */
  queues: readonly QueueSnapshot[] | undefined;
}

/** The keys of one node's heartbeat, for its removal. */
export interface HeartbeatKeys {
  key: string;
  indexKey: string;
  queuesKey: string;
}

/**
 * SET the heartbeat with its TTL and bump its index score; HSET each queue snapshot into the
 * service's hash and give the hash the heartbeat's TTL, so a service whose agents all stopped
 * loses its queues with its nodes.
 */
export async function writeHeartbeat(client: RedisClient, beat: BeatWrite): Promise<void> {
  const writes: Promise<unknown>[] = [
    client.set(beat.key, beat.json, 'EX', beat.ttlSeconds),
    client.zadd(beat.indexKey, beat.timestampMs, beat.key),
  ];
  if (beat.queues && beat.queues.length > 0) {
    const fields: string[] = [];
    for (const q of beat.queues) fields.push(q.name, JSON.stringify(q));
    writes.push(client.hset(beat.queuesKey, ...fields));
    writes.push(client.expire(beat.queuesKey, beat.ttlSeconds));
  }
  await Promise.all(writes);
}

/** DEL the heartbeat, ZREM it from its index, and HDEL the named queue fields. */
export async function removeHeartbeat(
  client: RedisClient,
  keys: HeartbeatKeys,
  queues: readonly string[],
): Promise<void> {
  const removals: Promise<unknown>[] = [client.del(keys.key), client.zrem(keys.indexKey, keys.key)];
  if (queues.length > 0) removals.push(client.hdel(keys.queuesKey, ...queues));
  await Promise.all(removals);
}
