/** One interval's worth of readings: plain data, produced by `Sampler`, consumed by the payload and OTel layers. */
import type { EventLoopReading } from '../readings/event-loop';
import type { ProcessMemory } from '../readings/process';

export interface Sample {
  /** When the sample was taken, epoch ms. */
  timestamp: number;
  /** % of the machine (or of the CPU quota), 0–100. */
  systemCpuPercent?: number;
  /** % of one core, not capped. */
  processCpuPercent?: number;
  /** Logical cores, or the CPU quota rounded up. */
  cores: number;
  /** Capacity and availability, bytes: the host's, or the cgroup's when it is tighter. */
  systemMemory?: { total: number; available: number };
  processMemory?: ProcessMemory;
  /** 1, 5 and 15 minute load averages. */
  loadavg?: [number, number, number];
  eventLoop: EventLoopReading;
  /** Process uptime, seconds. */
  uptimeSeconds: number;
  /** cgroup limits tighter than the host, when any apply. */
  container?: { memoryLimit?: number; cpuQuota?: number };
  /** Tags of readings that failed this time, e.g. `reading_failed:system_memory`. */
  errors: string[];
}
