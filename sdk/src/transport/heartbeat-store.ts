/**
 * Writes and removes a node's heartbeat and its entry in the node index. The two commands go
 * out back to back, without waiting in between: one round trip, no MULTI (which would cost
 * more CPU per beat and fail across slots on Redis Cluster).
 */
import type { Redis } from 'ioredis';
import { QuasarKeys } from '../schema';
import type { QueueSnapshot } from '../schema';

/** One beat's writes. */
export interface BeatWrite {
  /** The heartbeat key. */
  key: string;
  json: string;
  ttlSeconds: number;
  timestampMs: number;
  /** The service's queue hash, `gravito:quasar:queues:{service}`. */
  queuesKey: string;
  /** This node's queue snapshots, one hash field each (field = queue name). */
  queues: readonly QueueSnapshot[] | undefined;
}

/**
 * SET the heartbeat with its TTL and bump its index score; HSET each queue snapshot into the
 * service's hash and give the hash the heartbeat's TTL, so a service whose agents all stopped
 * loses its queues with its nodes.
 */
export async function writeHeartbeat(client: Redis, beat: BeatWrite): Promise<void> {
  const writes: Promise<unknown>[] = [
    client.set(beat.key, beat.json, 'EX', beat.ttlSeconds),
    client.zadd(QuasarKeys.nodeIndex, beat.timestampMs, beat.key),
  ];
  if (beat.queues && beat.queues.length > 0) {
    const fields: string[] = [];
    for (const q of beat.queues) fields.push(q.name, JSON.stringify(q));
    writes.push(client.hset(beat.queuesKey, ...fields));
    writes.push(client.expire(beat.queuesKey, beat.ttlSeconds));
  }
  await Promise.all(writes);
}

/** DEL the heartbeat, ZREM it from the index, and HDEL the named queue fields. */
export async function removeHeartbeat(
  client: Redis,
  key: string,
  queuesKey: string,
  queues: readonly string[],
): Promise<void> {
  const removals: Promise<unknown>[] = [client.del(key), client.zrem(QuasarKeys.nodeIndex, key)];
  if (queues.length > 0) removals.push(client.hdel(queuesKey, ...queues));
  await Promise.all(removals);
}
