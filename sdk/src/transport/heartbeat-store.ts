/**
 * Writes and removes a node's heartbeat and its entry in the node index. The two commands go
 * out back to back, without waiting in between: one round trip, no MULTI (which would cost
 * more CPU per beat and fail across slots on Redis Cluster).
 */
import type { Redis } from 'ioredis';
import { QuasarKeys } from '../schema';

/** SET the heartbeat with its TTL and bump its index score. */
export async function writeHeartbeat(
  client: Redis,
  key: string,
  json: string,
  ttlSeconds: number,
  timestampMs: number,
): Promise<void> {
  await Promise.all([
    client.set(key, json, 'EX', ttlSeconds),
    client.zadd(QuasarKeys.nodeIndex, timestampMs, key),
  ]);
}

/** DEL the heartbeat and ZREM it from the index. */
export async function removeHeartbeat(client: Redis, key: string): Promise<void> {
  await Promise.all([client.del(key), client.zrem(QuasarKeys.nodeIndex, key)]);
}
