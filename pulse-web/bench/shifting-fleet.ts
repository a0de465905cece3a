/**
 * A fleet whose every node's figures change on each full update, as a real fleet's do: node `i`
 * of round `r` reports a CPU and a memory figure that both move by whole steps of several percent
 * from the last round, so every overview tile's fill and label change. Deterministic: the same
 * round writes the same figures. Written as the SDK writes heartbeats (`SET … EX`, `ZADD` to the
 * node index), through the shared bench fleet's node shape.
 */
import type Redis from 'ioredis';
import type { Heartbeat } from '@gravito/quasar/schema';
import { QuasarKeys, heartbeatTtlSeconds } from '@gravito/quasar/schema';
import { fleetBeat } from '../../collector/bench/fleet';

/** How far a node's CPU and memory figures move each round, in percent (never a multiple of 100). */
const CPU_STEP = 13;
const MEMORY_STEP = 17;

/** Node `i`'s CPU figure in round `r`, in percent (0–99). */
export function cpuPercent(i: number, r: number): number {
  return (i * 7 + r * CPU_STEP) % 100;
}

/** Node `i`'s memory figure in round `r`, in percent (0–99). */
export function memoryPercent(i: number, r: number): number {
  return (i * 3 + 11 + r * MEMORY_STEP) % 100;
}

/**
 * Writes (or rewrites) `count` nodes over `services` services for round `r`. The hosts' memory
 * total is the template's, which the benchmark uses as its round marker; the used bytes follow the
 * node's memory figure.
 */
export async function writeShiftingFleet(
  redis: Redis,
  template: Heartbeat,
  count: number,
  services: number,
  r: number,
  now: number,
): Promise<void> {
  const ttl = heartbeatTtlSeconds(template.interval ?? 10_000);
  const total = template.memory.system.total;
  for (let start = 0; start < count; start += 1000) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const service = `svc-${i % services}`;
      const base = fleetBeat(template, i, service, now);
      const used = Math.round((total * memoryPercent(i, r)) / 100);
      const beat: Heartbeat = {
        ...base,
        cpu: { ...base.cpu, system: cpuPercent(i, r) },
        memory: {
          ...base.memory,
          system: { ...base.memory.system, used, free: total - used, available: total - used },
        },
      };
      const key = QuasarKeys.node(service, beat.id);
      pipeline.set(key, JSON.stringify(beat), 'EX', ttl);
      pipeline.zadd(QuasarKeys.nodeIndex, now, key);
    }
    await pipeline.exec();
  }
}
