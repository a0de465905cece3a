/**
 * Event-loop delay (a sampling histogram) and utilisation. Runtimes without
 * `monitorEventLoopDelay` (Bun, some Deno versions) simply report nothing.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { EventLoopUtilization, IntervalHistogram } from 'node:perf_hooks';

/** Event-loop health over one interval. Delays in ms, utilisation 0–1. */
export interface EventLoopReading {
  p50?: number;
  p99?: number;
  max?: number;
  utilization?: number;
}

/** Histogram resolution, ms: fine enough for p99 of a healthy loop, cheap enough to leave on. */
const RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;

/**
 * The histogram records each timer wake-up's full delay, resolution included; subtracting it
 * leaves the delay the loop itself added.
 */
const delayMs = (ns: number) =>
  Math.round(Math.max(0, ns / NS_PER_MS - RESOLUTION_MS) * 1000) / 1000;

/** Owns the delay histogram and the previous utilisation sample. */
export class EventLoopMonitor {
  private histogram: IntervalHistogram | undefined;
  private lastElu: EventLoopUtilization | undefined;

  start(): void {
    if (this.histogram) return;
    try {
      this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      this.histogram.enable();
    } catch {
      this.histogram = undefined;
    }
    this.lastElu = this.elu();
  }

  stop(): void {
    this.histogram?.disable();
    this.histogram = undefined;
  }

  private elu(previous?: EventLoopUtilization): EventLoopUtilization | undefined {
    try {
      return performance.eventLoopUtilization(previous);
    } catch {
      return undefined;
    }
  }

  /** Readings since the previous call; resets the histogram. */
  read(): EventLoopReading {
    const reading: EventLoopReading = {};
    const h = this.histogram;
    if (h && h.count > 0) {
      reading.p50 = delayMs(h.percentile(50));
      reading.p99 = delayMs(h.percentile(99));
      reading.max = delayMs(h.max);
      h.reset();
    }
    const now = this.elu();
    if (now && this.lastElu) {
      const delta = this.elu(this.lastElu);
      if (delta) reading.utilization = Math.round(delta.utilization * 10_000) / 10_000;
    }
    this.lastElu = now;
    return reading;
  }
}
