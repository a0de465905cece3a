/**
 * Derived readings that every consumer of a heartbeat needs, so the collector and the plugin
 * interpret original and new payloads the same way.
 */
import type { Heartbeat } from './heartbeat';
import { heartbeatTtlSeconds } from './keys';

/** The originals beat every 10 s and did not say so. */
export const DEFAULT_INTERVAL_MS = 10_000;

/** The node's beat interval in ms: its own `interval`, else the originals' 10 s. */
export function intervalOf(heartbeat: Heartbeat): number {
  return heartbeat.interval ?? DEFAULT_INTERVAL_MS;
}

/**
 * Bytes available for new allocations. New agents say so in `available`; the originals'
 * `free` already means "available" (the Go agent's by design, Node's through libuv).
 */
export function availableMemory(heartbeat: Heartbeat): number {
  return heartbeat.memory.system.available ?? heartbeat.memory.system.free;
}

/**
 * Liveness states: `offline` once the key is gone (expired, or deleted by a clean stop) while a
 * reader still remembers the node.
 */
export const NodeStatus = { online: 'online', stale: 'stale', offline: 'offline' } as const;
export type NodeStatus = (typeof NodeStatus)[keyof typeof NodeStatus];

/**
 * Age of a beat in ms, measured by Redis alone. Agents `SET` the key with
 * {@link heartbeatTtlSeconds} of their interval, so `expected TTL − PTTL` is the time since the
 * last write: neither the agent's clock nor the reader's enters. Only a key without a TTL, or
 * with one this protocol never writes, falls back to `redisNowMs − timestamp` (the agent's
 * clock judged by Redis's). Never negative.
 *
 * @param pttlMs the key's `PTTL` as read beside its value: -1 without expiry, -2 when missing.
 * @param redisNowMs the Redis server's `TIME`, epoch ms.
 */
export function ageOf(heartbeat: Heartbeat, pttlMs: number, redisNowMs: number): number {
  const expectedMs = heartbeatTtlSeconds(intervalOf(heartbeat)) * 1000;
  if (pttlMs >= 0 && pttlMs <= expectedMs) return expectedMs - pttlMs;
  return Math.max(0, redisNowMs - heartbeat.timestamp);
}

/** What a node's status is judged from. */
export interface Liveness {
  /** Age of the last beat in ms, from {@link ageOf}. */
  ageMs: number;
  /** Whether the heartbeat key still exists. */
  present: boolean;
}

/**
 * The one definition of a node's status: `offline` once its key is gone, else `online` while
 * the beat is younger than two of the node's intervals, then `stale`.
 */
export function statusOf(heartbeat: Heartbeat, liveness: Liveness): NodeStatus {
  if (!liveness.present) return NodeStatus.offline;
  return liveness.ageMs < 2 * intervalOf(heartbeat) ? NodeStatus.online : NodeStatus.stale;
}
