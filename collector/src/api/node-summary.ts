/**
 * A node's summary (`fields=summary`): what a fleet overview tile or a service row needs, and
 * nothing more. It keeps the heartbeat's own field names and nesting, so any reader of a full
 * node reads a summary too, the missing fields reading as absent:
 *
 * - `id`, `service`, `hostname`, `language`;
 * - `cpu` as the heartbeat has it (`system`, `process`, `cores`);
 * - `memory.system` as the heartbeat has it (`total`, `free`, `used`, `available`) and
 *   `memory.process.rss`;
 * - the collector's verdict, as on full nodes (`status`, `lastSeenAt`, and `ageMs` outside
 *   delta streams).
 *
 * Queue figures are not repeated per node: each service's queues come once, in the `queues` of
 * the stream's events and of `GET /api/pulse/queues`.
 */
import type { Heartbeat } from '@gravito/quasar/schema';

/** The summary of a (validated) heartbeat, as a plain object to serialise. */
export function summaryOf(heartbeat: Heartbeat): Record<string, unknown> {
  const { cpu, memory } = heartbeat;
  return {
    id: heartbeat.id,
    service: heartbeat.service,
    hostname: heartbeat.hostname,
    language: heartbeat.language,
    cpu: cpu && { system: cpu.system, process: cpu.process, cores: cpu.cores },
    memory: memory && {
      system: memory.system && {
        total: memory.system.total,
        free: memory.system.free,
        used: memory.system.used,
        available: memory.system.available,
      },
      process: memory.process && { rss: memory.process.rss },
    },
  };
}
