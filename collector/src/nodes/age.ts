/**
 * A beat's age on the Redis server's clock. Agents SET the key with a TTL they derive from
 * their interval, so `expected TTL − remaining TTL` is the time since the last SET, measured
 * entirely by Redis: no agent clock, no browser clock.
 */
import { heartbeatTtlSeconds, intervalOf } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';

/**
 * Age in ms. Falls back to `redisNow − timestamp` (the agent's clock, judged by Redis's)
 * only when the key has no TTL or a TTL this protocol does not produce.
 */
export function beatAgeMs(heartbeat: Heartbeat, pttlMs: number, redisNowMs: number): number {
  const expectedMs = heartbeatTtlSeconds(intervalOf(heartbeat)) * 1000;
  if (pttlMs >= 0 && pttlMs <= expectedMs) return expectedMs - pttlMs;
  return Math.max(0, redisNowMs - heartbeat.timestamp);
}
