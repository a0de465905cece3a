/**
 * Derived readings that every consumer of a heartbeat needs, so the collector and the plugin
 * interpret original and new payloads the same way.
 */
import type { Heartbeat } from './heartbeat';

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

/** Liveness states, judged from a clock the caller trusts (the Redis server's). */
export const NodeStatus = { online: 'online', stale: 'stale' } as const;
export type NodeStatus = (typeof NodeStatus)[keyof typeof NodeStatus];

/** Age of the beat in ms at `nowMs`; never negative, whatever the skew. */
export function ageOf(heartbeat: Heartbeat, nowMs: number): number {
  return Math.max(0, nowMs - heartbeat.timestamp);
}

/** `online` while the beat is younger than two intervals, then `stale`. */
export function statusOf(heartbeat: Heartbeat, nowMs: number): NodeStatus {
  return ageOf(heartbeat, nowMs) < 2 * intervalOf(heartbeat) ? NodeStatus.online : NodeStatus.stale;
}
