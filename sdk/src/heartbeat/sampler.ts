/**
 * Takes one `Sample` per tick. Every reading is guarded on its own, so one failure only
 * removes that reading. Counters from the previous tick live on the instance, for deltas.
 */
import { loadavg } from 'node:os';
import { detectCgroup, readCgroupLimits, readCgroupUsage } from '../readings/cgroup';
import type { CgroupLimits, CgroupPaths } from '../readings/cgroup';
import type { EventLoopMonitor } from '../readings/event-loop';
import type { HostFacts } from '../readings/host';
import { readProcessCpuUs, readProcessMemory } from '../readings/process';
import { cpuPercent, readCpuTimes } from '../readings/system-cpu';
import type { CpuTimes } from '../readings/system-cpu';
import { readSystemMemory } from '../readings/system-memory';
import type { Sample } from './sample';

/** cgroup limits can be resized in place (Kubernetes), but rarely: re-read them this often. */
const LIMITS_REFRESH_MS = 60_000;

const round2 = (n: number) => Math.round(n * 100) / 100;

interface Counters {
  /** Monotonic ms. */
  at: number;
  cpu: CpuTimes;
  processUs: number;
  cgroupUs: number | undefined;
}

export class Sampler {
  private previous: Counters;
  private readonly cgroup: CgroupPaths | undefined;
  private limits: CgroupLimits = {};
  private limitsReadAt = -Infinity;

  /**
   * The first sample averages since boot (machine CPU) and since process start (process
   * CPU), so the beat sent at `start()` already carries meaningful figures.
   */
  constructor(
    private readonly root: string,
    private readonly host: HostFacts,
    private readonly eventLoop: EventLoopMonitor,
  ) {
    const processStart = performance.now() - process.uptime() * 1000;
    this.previous = { at: processStart, cpu: { busy: 0, total: 0 }, processUs: 0, cgroupUs: 0 };
    this.cgroup = this.guardedDetect();
  }

  private guardedDetect(): CgroupPaths | undefined {
    try {
      return detectCgroup(this.root);
    } catch {
      return undefined;
    }
  }

  private currentLimits(now: number): CgroupLimits {
    if (this.cgroup && now - this.limitsReadAt >= LIMITS_REFRESH_MS) {
      this.limits = readCgroupLimits(this.root, this.cgroup);
      this.limitsReadAt = now;
    }
    return this.limits;
  }

  sample(): Sample {
    const errors: string[] = [];
    const guard = <T>(tag: string, read: () => T): T | undefined => {
      try {
        return read();
      } catch {
        errors.push(`reading_failed:${tag}`);
        return undefined;
      }
    };
    const now = performance.now();
    const elapsedUs = Math.max(1, (now - this.previous.at) * 1000);
    const sample: Sample = {
      timestamp: Date.now(),
      cores: this.host.cores,
      eventLoop: guard('event_loop', () => this.eventLoop.read()) ?? {},
      uptimeSeconds: process.uptime(),
      errors,
    };

    const memory = guard('system_memory', () => readSystemMemory(this.root));
    // A cgroup limit only counts when it is tighter than the host; only then is usage read.
    const limits = guard('cgroup_limits', () => this.currentLimits(now)) ?? {};
    const memoryLimit =
      memory && limits.memoryLimit !== undefined && limits.memoryLimit < memory.total
        ? limits.memoryLimit
        : undefined;
    const cpuQuota =
      limits.cpuQuota !== undefined && limits.cpuQuota < this.host.cores
        ? limits.cpuQuota
        : undefined;
    const cgroup = this.cgroup;
    const usage =
      cgroup && (memoryLimit !== undefined || cpuQuota !== undefined)
        ? guard('cgroup_usage', () => readCgroupUsage(this.root, cgroup))
        : undefined;

    // Under a usable quota, /proc/stat (the whole host) is not read at all.
    const quotaUsageUs = cpuQuota !== undefined ? usage?.cpuUsageUs : undefined;
    const cpu =
      quotaUsageUs === undefined ? guard('system_cpu', () => readCpuTimes(this.root)) : undefined;
    const processUs = guard('process_cpu', readProcessCpuUs);
    if (cpuQuota !== undefined && quotaUsageUs !== undefined) {
      const used = quotaUsageUs - (this.previous.cgroupUs ?? 0);
      sample.systemCpuPercent = round2(Math.min(100, (used / (cpuQuota * elapsedUs)) * 100));
      sample.cores = Math.ceil(cpuQuota);
      sample.container = { cpuQuota: round2(cpuQuota) };
    } else if (cpu) {
      sample.systemCpuPercent = round2(cpuPercent(this.previous.cpu, cpu));
    }
    if (processUs !== undefined) {
      sample.processCpuPercent = round2(((processUs - this.previous.processUs) / elapsedUs) * 100);
    }

    if (memoryLimit !== undefined && usage?.memoryWorkingSet !== undefined) {
      const available = Math.max(0, memoryLimit - usage.memoryWorkingSet);
      sample.systemMemory = { total: memoryLimit, available };
      sample.container = { ...sample.container, memoryLimit };
    } else if (memory) {
      sample.systemMemory = memory;
    }
    sample.processMemory = guard('process_memory', readProcessMemory);
    sample.loadavg = guard('loadavg', () => {
      const [a = 0, b = 0, c = 0] = loadavg();
      return [round2(a), round2(b), round2(c)] as [number, number, number];
    });

    this.previous = {
      at: now,
      cpu: cpu ?? this.previous.cpu,
      processUs: processUs ?? this.previous.processUs,
      cgroupUs: usage?.cpuUsageUs ?? this.previous.cgroupUs,
    };
    return sample;
  }
}
