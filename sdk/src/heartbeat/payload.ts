/** Maps a `Sample` onto the wire heartbeat: v1 fields first, then the optional extensions. */
import type { Heartbeat, QueueSnapshot } from '../schema';
import { SDK_NAME, SDK_VERSION } from '../version';
import type { NodeIdentity } from './identity';
import type { Sample } from './sample';

export interface PayloadExtras {
  queues?: QueueSnapshot[];
  /** Whether this node exports its own OTel metrics. */
  selfExport: boolean;
}

/**
 * v1 readers (Zenith, the original collectors) need every v1 number present; a reading that
 * failed is written as 0 and named in `runtime.errors`, with `runtime.status` = `degraded`.
 */
export function buildHeartbeat(id: NodeIdentity, sample: Sample, extras: PayloadExtras): Heartbeat {
  const total = sample.systemMemory?.total ?? 0;
  const available = sample.systemMemory?.available ?? 0;
  const heartbeat: Heartbeat = {
    id: id.nodeId,
    service: id.service,
    language: id.runtime.language,
    version: id.runtime.version,
    pid: id.pid,
    hostname: id.hostname,
    platform: id.platform,
    cpu: {
      system: sample.systemCpuPercent ?? 0,
      process: sample.processCpuPercent ?? 0,
      cores: sample.cores,
    },
    memory: {
      system: { total, free: available, used: Math.max(0, total - available), available },
      process: sample.processMemory ?? { rss: 0, heapTotal: 0, heapUsed: 0 },
    },
    queues: extras.queues && extras.queues.length > 0 ? extras.queues : undefined,
    runtime: {
      uptime: Math.round(sample.uptimeSeconds * 1000) / 1000,
      framework: 'Quasar',
      status: sample.errors.length > 0 ? 'degraded' : 'online',
      errors: sample.errors.length > 0 ? sample.errors : undefined,
    },
    timestamp: sample.timestamp,
    loadavg: sample.loadavg,
    interval: id.intervalMs,
    startedAt: id.startedAt,
    sdk: { name: SDK_NAME, version: SDK_VERSION },
    otel: { selfExport: extras.selfExport },
    container: sample.container,
  };
  const { p50, p99, max, utilization } = sample.eventLoop;
  if (p50 !== undefined && p99 !== undefined && max !== undefined) {
    heartbeat.eventLoop = { p50, p99, max, utilization };
  }
  return heartbeat;
}
