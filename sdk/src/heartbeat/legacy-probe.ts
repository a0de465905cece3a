/** Applies a 1.0-style custom `probe` over a heartbeat built from the built-in readings. */
import type { Heartbeat } from '../schema';
import type { LegacySystemMetrics } from '../options/types';

export function applyLegacyMetrics(heartbeat: Heartbeat, metrics: LegacySystemMetrics): Heartbeat {
  const available = metrics.memory.system.free;
  return {
    ...heartbeat,
    language: metrics.language ?? heartbeat.language,
    version: metrics.version ?? heartbeat.version,
    cpu: { ...metrics.cpu },
    memory: {
      system: { ...metrics.memory.system, available },
      process: { ...metrics.memory.process },
    },
    runtime: { ...heartbeat.runtime, uptime: metrics.uptime },
  };
}
